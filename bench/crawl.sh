#!/usr/bin/env bash
# Crawl throughput: 500 pages (the demo corpus, copied round-robin) on a loopback HTTP server,
# crawled by `hud crawl --all` with 2 workers against the PostgreSQL of scripts/test-env.sh.
# Appends pages/s to bench/RESULTS.md. Run: HUD_TEST_DIR=target/bench-env bash scripts/test-env.sh bash bench/crawl.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HUD="${CARGO_TARGET_DIR:-$ROOT/target}/dist/hud"
PAGES="${CRAWL_PAGES:-500}"
SITE="$(mktemp -d /tmp/hud-crawl-site-XXXXXX)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
cleanup() { kill "${SERVER:-}" 2>/dev/null || true; rm -rf "$SITE"; }
trap cleanup EXIT

mapfile -t SOURCES < <(find "$ROOT/demo" -name '*.html' | sort)
for i in $(seq 1 "$PAGES"); do
    cp "${SOURCES[$(( (i - 1) % ${#SOURCES[@]} ))]}" "$SITE/p$i.html"
done
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$SITE" >/dev/null 2>&1 &
SERVER=$!

DB="hud_crawl_bench_$$"
PSQL="${HUD_PG_BINDIR:-/usr/lib/postgresql/15/bin}/psql"
"$PSQL" "$DATABASE_URL" -qc "CREATE DATABASE $DB"
URL="${DATABASE_URL%/*}/$DB"
export DATABASE_URL="$URL" HUD_CRAWL_ALLOW="127.0.0.1:$PORT" HUD_WORKERS=2 HUD_LOG="warn" HUD_DATA_DIR="$SITE/data"
"$HUD" migrate >/dev/null
"$PSQL" "$URL" -qc "INSERT INTO pages (url) SELECT 'http://127.0.0.1:$PORT/p' || i || '.html' FROM generate_series(1, $PAGES) AS i"
start=$(date +%s.%N)
"$HUD" crawl --all
end=$(date +%s.%N)
seconds=$(python3 -c "print(f'{$end - $start:.1f}')")
rate=$(python3 -c "print(f'{$PAGES / ($end - $start):.0f}')")
ok=$("$PSQL" "$URL" -tAc "SELECT count(*) FROM crawls WHERE outcome = 'ok'")
echo "$PAGES pages in $seconds s = $rate pages/s ($ok stored)"
{
    echo
    echo "### $(date -u +%Y-%m-%d) — crawl throughput (\`bench/crawl.sh\`)"
    echo
    echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr). $PAGES demo pages on a loopback"
    echo "\`python3 -m http.server\`, \`hud crawl --all\` with 2 workers (process start and migrations included)."
    echo
    echo "- $PAGES pages in $seconds s: **$rate pages/s**; $ok crawls stored."
} >>"$ROOT/bench/RESULTS.md"
"$PSQL" "${DATABASE_URL%/*}/postgres" -qc "DROP DATABASE $DB WITH (FORCE)" 2>/dev/null || true
