#!/usr/bin/env python3
"""Read generated captchas with the solvers a spammer would pick up, and report what they get.

Usage: captcha_ocr.py DIR   (DIR holds NNNN.png, NNNN-clean.png and answers.tsv — name, text,
marks — as written by `hud captcha generate --out DIR`).

Readers: Tesseract (Debian's tesseract-ocr; page-segmentation modes 6, 7, 8 and 13 with a
character whitelist, the best of them per image) and ddddocr (PyPI; a pretrained captcha model,
both its default and its `beta` model). For each: the share of images whose whole text it reads
exactly (case-insensitive and case-sensitive, white space ignored) and its character accuracy
(matched characters over the text's length, by difflib's alignment).

Then the legibility reference: Tesseract on the clean renderings (the same glyphs upright on
white, three times the size) should read ≥ 98 % exactly — proof that glyphs, spacing and
contrast are fine for eyes. It reads them glyph by glyph with Tesseract's character classifier
(tesseract_glyphs says why); HUD_LEGACY_TESSDATA names the tessdata folder holding that model.

Last, the rule attack offline: each built-in prompt's rule applied to each reader's read.

The attack figures are in captcha_attack.py (through the signup form); this script shows why.
"""
import concurrent.futures
import difflib
import os
import subprocess
import sys

WHITELIST = "ACDEFGHJKLMNPRTUVWXYabdefhkmnrty23456789"
MODES = ["6", "7", "8", "13"]


def norm(s):
    return "".join(s.split())


def tesseract(path):
    """Every mode's read of the image (lines joined)."""
    outs = []
    for psm in MODES:
        out = subprocess.run(
            ["tesseract", path, "stdout", "--psm", psm, "-l", "eng",
             "-c", f"tessedit_char_whitelist={WHITELIST}"],
            capture_output=True, text=True, check=False,
        ).stdout
        outs.append(norm(out))
    return outs


def ink_columns(line):
    """(start, end) of each run of columns holding ink: one per glyph, since the clean
    rendering never lets two glyphs touch."""
    width, height = line.size
    pixels = line.load()
    runs, start = [], None
    for x in range(width + 1):
        ink = x < width and any(pixels[x, y] == 0 for y in range(height))
        if ink and start is None:
            start = x
        elif not ink and start is not None:
            runs.append((start, x))
            start = None
    return runs


def tesseract_glyphs(path, folder):
    """Tesseract reading the clean rendering glyph by glyph: each line (a half of the picture)
    binarised (ink black, the rest white), cut at the blank columns between glyphs, and each
    glyph, trimmed and padded, classified on its own (psm 10) by Tesseract's character
    classifier (`--oem 0`, the legacy engine of the full English tessdata: the LSTM engine reads
    lines of words, and inserts or drops characters in widely spaced, mixed-font random text,
    which a person reads without trouble). What it proves is what a person needs: every glyph is
    recognisable alone, and the glyphs stand apart."""
    from PIL import Image, ImageOps  # noqa: E402 (installed with ddddocr)

    image = Image.open(path).convert("L").point(lambda v: 0 if v < 200 else 255)
    width, height = image.size
    env = dict(os.environ, TESSDATA_PREFIX=os.environ["HUD_LEGACY_TESSDATA"])
    read = ""
    for top, bottom in ((0, int(height * 0.51)), (int(height * 0.51), height)):
        line = image.crop((0, top, width, bottom))
        for i, (left, right) in enumerate(ink_columns(line)):
            glyph = line.crop((left, 0, right, bottom - top))
            glyph = glyph.crop(ImageOps.invert(glyph).getbbox())
            padded = Image.new("L", (glyph.width + 40, glyph.height + 40), 255)
            padded.paste(glyph, (20, 20))
            file = os.path.join(folder, f"glyph-{os.path.basename(path)}-{top}-{i}.png")
            padded.save(file)
            out = subprocess.run(
                ["tesseract", file, "stdout", "--oem", "0", "--psm", "10", "-l", "eng",
                 "-c", f"tessedit_char_whitelist={WHITELIST}"],
                capture_output=True, text=True, check=False, env=env,
            ).stdout
            os.remove(file)
            read += norm(out)
    return [read]


# What a text-reading attacker types for each built-in prompt: the rule applied to its read of
# the whole picture. For the prompts about a part of the picture it has no rule; its best guess
# is the whole read.
def digits(s):
    return "".join(c for c in s if c.isdigit())


def letters(s):
    return "".join(c for c in s if c.isalpha())


ATTACKS = {
    "text": (lambda t, m: t, lambda r: r),
    "digits": (lambda t, m: digits(t), digits),
    "letters": (lambda t, m: letters(t), letters),
    "last-four-reversed": (lambda t, m: letters(t)[-4:][::-1], lambda r: letters(r)[-4:][::-1]),
    "blue": (lambda t, m: "".join(c for c, k in zip(t, m) if k & 2), lambda r: r),
    "circled": (lambda t, m: "".join(c for c, k in zip(t, m) if k & 4), lambda r: r),
    "upper-line": (lambda t, m: "".join(c for c, k in zip(t, m) if not k & 1), lambda r: r),
    "lower-line": (lambda t, m: "".join(c for c, k in zip(t, m) if k & 1), lambda r: r),
    "blue-letters-reversed": (lambda t, m: letters("".join(c for c, k in zip(t, m) if k & 2))[::-1],
                              lambda r: letters(r)[::-1]),
}


def char_accuracy(read, text):
    matcher = difflib.SequenceMatcher(None, read.lower(), text.lower())
    return sum(b.size for b in matcher.get_matching_blocks()) / max(len(text), 1)


def score(reads, texts):
    """(exact case-insensitive, exact case-sensitive, character accuracy) in %, over images;
    each entry of `reads` is the list of candidate reads for one image (best one counts)."""
    n = len(texts)
    ci = sum(any(r.lower() == t.lower() for r in rs) for rs, t in zip(reads, texts))
    cs = sum(any(r == t for r in rs) for rs, t in zip(reads, texts))
    acc = sum(max(char_accuracy(r, t) for r in rs) for rs, t in zip(reads, texts))
    return 100.0 * ci / n, 100.0 * cs / n, 100.0 * acc / n


def adaptive_views(path):
    """What an attacker who knows HUD's challenges feeds the solver instead of the whole picture:
    the upper or the lower half (for the line prompts), and only the blue pixels, black on white
    (for the blue prompts). PNG bytes by prompt."""
    import io  # noqa: E402

    from PIL import Image  # noqa: E402 (installed with ddddocr)

    image = Image.open(path).convert("RGB")
    width, height = image.size
    views = {
        "upper-line": image.crop((0, 0, width, height // 2)),
        "lower-line": image.crop((0, height // 2, width, height)),
    }
    blue = Image.new("L", image.size, 255)
    source, target = image.load(), blue.load()
    for y in range(height):
        for x in range(width):
            r, g, b = source[x, y]
            if b > r + 40 and b > g + 15:
                target[x, y] = 0
    views["blue"] = blue
    out = {}
    for prompt, view in views.items():
        buffer = io.BytesIO()
        view.save(buffer, format="PNG")
        out[prompt] = buffer.getvalue()
    return out


def main():
    folder = sys.argv[1]
    rows = [line.split("\t") for line in open(os.path.join(folder, "answers.tsv")).read().splitlines()]
    names, texts = [r[0] for r in rows], [r[1] for r in rows]
    path = lambda name, suffix="": os.path.join(folder, f"{name}{suffix}.png")
    workers = os.cpu_count() or 2
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        tess = list(pool.map(lambda n: tesseract(path(n)), names))
        clean = list(pool.map(lambda n: tesseract_glyphs(path(n, "-clean"), folder), names))

    import ddddocr  # noqa: E402 (only where installed: captcha_ocr.sh installs it)

    dddd = {}
    for label, beta in (("ddddocr", False), ("ddddocr beta", True)):
        ocr = ddddocr.DdddOcr(show_ad=False, beta=beta)
        dddd[label] = [[norm(ocr.classification(open(path(n), "rb").read()))] for n in names]

    n = len(rows)
    print(f"{n} images")
    print("| reader | exact, any case | exact, case-sensitive | characters right |")
    print("|---|---:|---:|---:|")
    for label, reads in [("tesseract 5 (best of psm 6/7/8/13)", tess)] + list(dddd.items()):
        ci, cs, acc = score(reads, texts)
        print(f"| {label} | {ci:.1f} % | {cs:.1f} % | {acc:.1f} % |")
    ci, cs, acc = score(clean, texts)
    print(f"| clean rendering, tesseract 5 glyph by glyph (legibility; target ≥ 98 %) | {ci:.1f} % | {cs:.1f} % | {acc:.1f} % |")
    marks = [[int(k) for k in r[2].split(",")] for r in rows]
    print()
    print("Rule attack (offline: each built-in prompt's rule applied to the reader's read, case ignored):")
    print()
    print("| prompt | " + " | ".join(["tesseract 5"] + list(dddd)) + " |")
    print("|---|" + "---:|" * (1 + len(dddd)))
    for prompt, (expect, guess) in ATTACKS.items():
        cells = []
        for reads in [tess] + list(dddd.values()):
            hits = sum(
                any(guess(r).lower() == expect(t, m).lower() for r in rs)
                for rs, t, m in zip(reads, texts, marks)
                if expect(t, m)
            )
            fits = sum(1 for t, m in zip(texts, marks) if expect(t, m))
            cells.append(f"{100.0 * hits / max(fits, 1):.1f} %")
        print(f"| {prompt} | " + " | ".join(cells) + " |")
    print()
    print("Adaptive attack (offline, ddddocr default model fed the part a prompt asks about: a half")
    print("of the picture for the line prompts, only the blue pixels for the blue prompt; case ignored):")
    print()
    print("| prompt | ddddocr on the part |")
    print("|---|---:|")
    ocr = ddddocr.DdddOcr(show_ad=False)
    views = [adaptive_views(path(n)) for n in names]
    for prompt in ("upper-line", "lower-line", "blue"):
        expect = ATTACKS[prompt][0]
        hits = sum(
            norm(ocr.classification(v[prompt])).lower() == expect(t, m).lower()
            for v, t, m in zip(views, texts, marks)
        )
        print(f"| {prompt} | {100.0 * hits / n:.1f} % |")
    for (reads, text) in zip(clean, texts):
        if reads[0].lower() != text.lower():
            print(f"clean misread: {text} as {reads[0]}", file=sys.stderr)


if __name__ == "__main__":
    main()
