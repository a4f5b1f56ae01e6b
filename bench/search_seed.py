#!/usr/bin/env python3
"""Seed a HUD benchmark database with the reference search corpus (bench/search_corpus.py).

Writes the corpus's 79 pages and 160 crawls as PostgreSQL COPY input (pages, then crawls with
their words and counts as sorted arrays), crawl times shifted so the newest crawl is an hour
old and all fall inside HUD's search window. Used by bench/load.sh only; HUD never reads the
corpus at run time.

    python3 bench/search_seed.py CORPUS_DIR OUT_DIR   # -> OUT_DIR/pages.copy, crawls.copy
"""
import json
import sys
import time
from pathlib import Path

corpus, out = Path(sys.argv[1]), Path(sys.argv[2])
rows = [json.loads(line) for line in (corpus / "corpus.jsonl").open(encoding="utf-8")]
shift = time.time() - 3600 - max(r["crawl_time"] for r in rows)


def text(value: str) -> str:
    """A COPY text-format field."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def array(values) -> str:
    """A PostgreSQL array literal with every element quoted."""
    quoted = ('"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return text("{" + ",".join(quoted) + "}")


pages = {}
for r in rows:
    pages.setdefault(r["page"], (r["url"], r["title"]))
with (out / "pages.copy").open("w", encoding="utf-8") as f:
    for page, (url, title) in sorted(pages.items()):
        f.write(f"{text(url)}\t{text(title)}\n")
with (out / "crawls.copy").open("w", encoding="utf-8") as f:
    for r in rows:
        words = sorted(r["counts"])
        at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(r["crawl_time"] + shift))
        counts = [r["counts"][w] for w in words]
        f.write(f"{text(r['url'])}\t{at}\t{array(words)}\t{array(counts)}\t{sum(counts)}\n")
print(f"{len(pages)} pages, {len(rows)} crawls")
