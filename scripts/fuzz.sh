#!/usr/bin/env bash
# API fuzzing: schemathesis (PyPI, pinned) against /api/openapi.json of a real HUD instance on
# a fresh database, with a valid bearer token (an admin's, so admin operations are reached too)
# and every check. Run inside scripts/test-env.sh (PostgreSQL and memcached on loopback):
# `make fuzz` (long run) and `make test` (short run) do that.
#
# Two runs, both with every check:
#   1. every operation but those that revoke the caller's own credentials (`DELETE
#      /api/v1/auth/…`, `POST /api/v1/auth/logout-everywhere`), with one static token, which must still work afterwards (else an
#      operation revoked it, and the 401s that followed hid the operations behind them);
#   2. the revoking operations alone, with a token fetched from `POST /api/v1/auth/token`, and
#      fetched again whenever the last one was revoked (schemathesis' dynamic auth).
# The instance's rate limits are raised: one client sends everything, and a 429 would only hide
# the logic behind it (the limits have their own tests; 429 stays documented).
#
# Knobs: FUZZ_EXAMPLES (cases per operation, default 50), FUZZ_SEED (default 20261202),
# FUZZ_MAX_TIME (seconds for both runs, default 600; the first gets 9/10), HUD_BIN (default:
# the debug build). Exit status: non-zero when schemathesis reports any failure (or a fatal
# warning), or the server panicked. JUnit reports are written to target/fuzz/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
HUD="${HUD_BIN:-$TARGET/debug/hud}"
EXAMPLES="${FUZZ_EXAMPLES:-50}"
SEED="${FUZZ_SEED:-20261202}"
MAX_TIME="${FUZZ_MAX_TIME:-600}"
VENV="$TARGET/fuzz-venv"
OUT="$ROOT/target/fuzz"
SCHEMATHESIS_VERSION="4.32.5"

die() { echo "fuzz: $*" >&2; exit 1; }
[ -x "$HUD" ] || die "no HUD binary at $HUD (cargo build first)"
[ -n "${DATABASE_URL:-}" ] && [ -n "${HUD_TEST_MEMCACHED:-}" ] || die "run inside scripts/test-env.sh"

if ! "$VENV/bin/st" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi

WORK="$(mktemp -d /tmp/hud-fuzz-XXXXXX)"
pid=""
cleanup() {
    [ -z "$pid" ] || kill "$pid" 2>/dev/null || true
    mkdir -p "$OUT" && cp "$WORK/serve.log" "$OUT/serve.log" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

DB="hud_fuzz"
psql -q "$DATABASE_URL" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export DATABASE_URL="${DATABASE_URL%/*}/$DB" HUD_MEMCACHED="$HUD_TEST_MEMCACHED" HUD_BIND="127.0.0.1:$PORT" \
    HUD_DATA_DIR="$WORK/data" HUD_LOG=warn \
    HUD_CACHE_VERSION="fuzz$$" HUD_WORKERS=0 \
    HUD_LOGIN_LIMIT_PER_IP=1000000 HUD_LOGIN_LIMIT_PER_ACCOUNT=1000000 \
    HUD_SIGNUP_LIMIT_PER_IP=1000000 HUD_CAPTCHA_ATTEMPTS_PER_IP=1000000 \
    HUD_CAPTCHA_ATTEMPTS_PER_SESSION=1000000 HUD_CAPTCHA_ISSUE_LIMIT_PER_IP=1000000 \
    HUD_RENDER_LIMIT_PER_IP=1000000 HUD_PASSWORD_RESET_LIMIT=1000000 \
    HUD_API_RATE_LIMIT=1000000 HUD_API_RATE_LIMIT_ANONYMOUS=1000000
PASSWORD="fuzzing admin passphrase"
"$HUD" migrate >/dev/null
HUD_ADMIN_PASSWORD="$PASSWORD" "$HUD" users create fuzz --email fuzz@example.org --admin >/dev/null
"$HUD" ml import >/dev/null
"$HUD" pages add https://example.org/ --title Example >/dev/null
"$HUD" serve 2>"$WORK/serve.log" & pid=$!
for _ in $(seq 200); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null || { cat "$WORK/serve.log" >&2; die "HUD did not start"; }
TOKEN=$(curl -sf -H 'content-type: application/json' \
    -d "{\"username\":\"fuzz\",\"password\":\"$PASSWORD\"}" "http://127.0.0.1:$PORT/api/v1/auth/token" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
[ -n "$TOKEN" ] || die "no API token"

mkdir -p "$OUT"
# Operations that revoke the caller's credentials (its token, all its tokens, its sessions).
REVOKING='^(DELETE /api/v1/auth/|POST /api/v1/auth/logout-everywhere)'
# The files the API hands out (captcha picture and sound, avatar) are documented, but served
# with the pages, where HUD's CSRF layer refuses a tokenless POST, PUT, PATCH or DELETE with
# 403 before routing (on purpose: no page route is left to forget it), not 405.
FILES='[[operations]]
include-path-regex = "^/(captcha|accounts)/"
checks.unsupported_method.enabled = false'
printf '%s\n' 'checks.enabled = true' '[warnings]' 'fail-on = ["rate_limited"]' '' "$FILES" >"$WORK/main.toml"
export FUZZ_PASSWORD="$PASSWORD"
printf '%s\n' 'checks.enabled = true' '[warnings]' 'fail-on = ["rate_limited"]' '' \
    '[auth.dynamic.openapi.bearer]' 'path = "/api/v1/auth/token"' \
    'payload = { username = "fuzz", password = "${FUZZ_PASSWORD}" }' \
    'extract_selector = "/token"' '' "$FILES" >"$WORK/revoking.toml"
# One worker: with two, Python 3.11's `ast.parse` (hypothesis describing its strategies) races
# between the threads and fails with "AST constructor recursion depth mismatch".
# Every check is on (`checks.enabled` in the config files, which the per-operation exception
# above can then narrow; `--checks all` would override it).
common=(--max-examples "$EXAMPLES" --seed "$SEED" --generation-database none
    --workers 1 --request-timeout 20)
status=0
"$VENV/bin/st" --config-file "$WORK/main.toml" run "http://127.0.0.1:$PORT/api/openapi.json" \
    "${common[@]}" --max-time $((MAX_TIME * 9 / 10)) --exclude-name-regex "$REVOKING" \
    --header "Authorization: Bearer $TOKEN" \
    --report junit --report-junit-path "$OUT/junit.xml" || status=$?
if [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
    "http://127.0.0.1:$PORT/api/v1/me")" != 200 ]; then
    echo "fuzz: the token of the first run stopped working during it" >&2
    status=1
fi
"$VENV/bin/st" --config-file "$WORK/revoking.toml" run "http://127.0.0.1:$PORT/api/openapi.json" \
    "${common[@]}" --max-time $((MAX_TIME / 10 + 1)) --include-name-regex "$REVOKING" \
    --report junit --report-junit-path "$OUT/junit-revoking.xml" || status=$?
if grep -q "panicked" "$WORK/serve.log"; then
    grep -B2 -A8 "panicked" "$WORK/serve.log" >&2
    status=1
fi
echo "fuzz: schemathesis $SCHEMATHESIS_VERSION, seed $SEED, $EXAMPLES examples per operation: exit $status"
exit "$status"
