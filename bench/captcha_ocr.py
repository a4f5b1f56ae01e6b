#!/usr/bin/env python3
"""Run Tesseract over generated captchas and report how often it reads the full text.

Usage: captcha_ocr.py DIR   (DIR holds NNNN.png files and answers.tsv, as written by
`hud captcha generate --out DIR`). A read counts when Tesseract's output equals the text,
ignoring case and white space; each image is tried with three page-segmentation modes
(single line, single word, raw line) and a character whitelist, and counts if any of them reads it.
"""
import concurrent.futures
import os
import subprocess
import sys

WHITELIST = "ABCDEFGHJKLMNPRSTUVWXYZabdefghkmnqrty23456789"
MODES = ["7", "8", "13"]


def reads(path, text):
    hits = []
    for psm in MODES:
        out = subprocess.run(
            ["tesseract", path, "stdout", "--psm", psm, "-l", "eng",
             "-c", f"tessedit_char_whitelist={WHITELIST}"],
            capture_output=True, text=True, check=False,
        ).stdout
        hits.append("".join(out.split()).lower() == text.lower())
    return hits


def main():
    folder = sys.argv[1]
    rows = [line.split("\t") for line in open(os.path.join(folder, "answers.tsv")).read().splitlines()]
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count()) as pool:
        results = list(pool.map(lambda r: reads(os.path.join(folder, r[0] + ".png"), r[1]), rows))
    n = len(results)
    for i, psm in enumerate(MODES):
        print(f"psm {psm:>2}: {sum(r[i] for r in results)}/{n} read")
    any_read = sum(any(r) for r in results)
    print(f"read by any mode: {any_read}/{n} = {100.0 * any_read / n:.1f} %")


if __name__ == "__main__":
    main()
