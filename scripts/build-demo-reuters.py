#!/usr/bin/env python3
"""Turn the Reuters-21578 sample articles (XML, from Debian's r-cran-tm) into plain HTML pages
for HUD's offline demo: demo/reuters/NNNNN.html. Run once by a developer with the shared data
folder at hand; the result is committed (HUD never reads the source at run time).

Usage: build-demo-reuters.py SOURCE_DIR (containing acq/ and crude/) DEST_DIR
"""
import html
import pathlib
import re
import sys
import xml.etree.ElementTree as ET


def main():
    source, dest = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    dest.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.glob("*/*.xml")):
        root = ET.parse(path).getroot()
        text = root.find("TEXT")
        title = (text.findtext("TITLE") or "Untitled").strip()
        dateline = (text.findtext("DATELINE") or "").strip()
        body = (text.findtext("BODY") or "").strip()
        body = re.sub(r"\s*Reuter\s*\x03?\s*$", "", body)
        paragraphs = [p.strip().replace("\n", " ") for p in re.split(r"\n\s{3,}", body) if p.strip()]
        topic = path.parent.name
        page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title.title())}</title></head>
<body><article>
<p class="topic">{topic}</p>
<h1>{html.escape(title.title())}</h1>
<p class="dateline">{html.escape(dateline)} {html.escape(root.findtext("DATE") or "")}</p>
{"".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)}
<footer>Reuters-21578, Distribution 1.0</footer>
</article></body></html>
"""
        (dest / f"{topic}-{path.stem.split('-')[-1]}.html").write_text(page, encoding="utf-8")


if __name__ == "__main__":
    main()
