#!/usr/bin/env bash
# Captcha strength: generate 300 images with the dist binary, let Tesseract (Debian's
# tesseract-ocr, installed here when missing) try to read them, and append the exact-read rate,
# the generation time and the image size to bench/RESULTS.md. Target: ≤ 2 % read.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HUD="${CARGO_TARGET_DIR:-$ROOT/target}/dist/hud"
COUNT="${CAPTCHA_COUNT:-300}"
OUT="$(mktemp -d /tmp/hud-captcha-XXXXXX)"
trap 'rm -rf "$OUT"' EXIT

if ! command -v tesseract >/dev/null 2>&1; then
    [ "$(id -u)" -eq 0 ] || { echo "install tesseract-ocr (apt) first" >&2; exit 1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends tesseract-ocr tesseract-ocr-eng >/dev/null
fi

generated="$("$HUD" captcha generate --count "$COUNT" --out "$OUT" 2>/dev/null | tail -1)"
echo "$generated"
ocr="$(python3 "$ROOT/bench/captcha_ocr.py" "$OUT")"
echo "$ocr"

{
    echo
    echo "### $(date -u +%Y-%m-%d) — captcha strength (\`bash bench/captcha_ocr.sh\`)"
    echo
    echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr); $(tesseract --version 2>&1 | head -1)."
    echo
    echo "- generation: $generated"
    echo "- Tesseract, $COUNT images, psm 7 / 8 / 13 with a character whitelist, case and spaces ignored:"
    echo '```'
    echo "$ocr"
    echo '```'
} >>"$ROOT/bench/RESULTS.md"
