#!/usr/bin/env bash
# The end-to-end captcha attack: a HUD instance of its own (fresh database, rate limits raised so
# the bot is judged by its answers, not throttled), and bench/captcha_attack.py signing up through
# the form CAPTCHA_ATTEMPTS (300) times per reader — ddddocr, ddddocr beta, Tesseract — reading
# each picture and typing what its prompt asks of the read, after a harness check (an oracle
# reading the answer from PostgreSQL must pass every attempt). The pass rates (targets: ≤ 5 %
# ddddocr, ≤ 1 % Tesseract) are appended to bench/RESULTS.md. Needs DATABASE_URL (run inside
# scripts/test-env.sh) and the venv bench/captcha_ocr.sh installs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
HUD="${HUD_BIN:-$TARGET/dist/hud}"
ATTEMPTS="${CAPTCHA_ATTEMPTS:-300}"
VENV="$TARGET/captcha-ocr-venv"
PSQL="${HUD_PG_BINDIR:-/usr/lib/postgresql/15/bin}/psql"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
DB="hud_captcha_attack_$$"
cleanup() { kill "${SERVER:-}" 2>/dev/null || true; "$PSQL" "$DATABASE_URL" -qc "DROP DATABASE IF EXISTS $DB" 2>/dev/null || true; }
trap cleanup EXIT

"$PSQL" "$DATABASE_URL" -qc "CREATE DATABASE $DB"
export DATABASE_URL="${DATABASE_URL%/*}/$DB" HUD_BIND="127.0.0.1:$PORT" HUD_LOG=warn \
    HUD_SIGNUP_LIMIT_PER_IP=100000 HUD_CAPTCHA_ATTEMPTS_PER_IP=100000 \
    HUD_CAPTCHA_ISSUE_LIMIT_PER_IP=100000 HUD_CAPTCHA_ATTEMPTS_PER_SESSION=100000
unset HUD_MEMCACHED
"$HUD" migrate >/dev/null
"$HUD" serve >/dev/null 2>&1 &
SERVER=$!
for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
    sleep 0.2
done

rows=""
export PSQL
for reader in oracle ddddocr ddddocr-beta tesseract; do
    # The oracle (the harness check: it must pass every time) needs few attempts.
    n="$ATTEMPTS"
    [ "$reader" = oracle ] && n=30
    row="$("$VENV/bin/python" "$ROOT/bench/captcha_attack.py" "http://127.0.0.1:$PORT" "$n" "$reader")"
    echo "$row"
    rows+="$row"$'\n'
done

{
    echo
    echo "### $(date -u +%Y-%m-%d) — end-to-end captcha attack through the signup form (\`bash bench/captcha_attack.sh\`)"
    echo
    echo "Machine: $(nproc) cores, $(uname -sr); HUD binary \`${HUD#"$ROOT/"}\`, default challenges, fresh pool."
    echo
    echo "| reader | attempts | accounts made | pass rate | other answers (not a wrong-captcha 422) | passes per prompt |"
    echo "|---|---:|---:|---:|---:|---|"
    printf '%s' "$rows"
} >>"$ROOT/bench/RESULTS.md"
