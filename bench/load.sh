#!/usr/bin/env bash
# HUD load benchmark: run by `make bench` inside scripts/test-env.sh (PostgreSQL and two
# memcached servers on loopback). Starts two dist-profile HUD instances on one database and one
# memcached pool — A with the in-process tier, B without it (so its cache reads go to
# memcached) — seeds data, warms up, then drives each scenario with wrk and prints
# requests/s, p50, p99, errors, throughput relative to the plaintext baseline of the same run,
# and the CPU time the serving instance spent per request (from /proc; steadier than
# requests/s on a shared machine, so A/B runs of two builds compare it first). Appends the
# table to bench/RESULTS.md.
#
# Knobs: BENCH_DURATION (seconds per scenario, default 10), BENCH_WARMUP (default 3),
# BENCH_ROUNDS (rounds over all scenarios, default 3; the median round is reported), BENCH_ONLY
# (scenario names to run, e.g. "memcached searchmc"; the baseline always runs), HUD_BIN (the
# binary, for A/B runs of two builds) and BENCH_RECORD=0 (print the table, do not append it).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HUD="${HUD_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/dist/hud}"
DURATION="${BENCH_DURATION:-10}"
ROUNDS="${BENCH_ROUNDS:-3}"
WARMUP="${BENCH_WARMUP:-3}"
WORK="$(mktemp -d /tmp/hud-bench-XXXXXX)"

die() { echo "bench: $*" >&2; exit 1; }
[ -x "$HUD" ] || die "no dist binary at $HUD (run make bench)"
[ -n "${DATABASE_URL:-}" ] && [ -n "${HUD_TEST_MEMCACHED:-}" ] || die "run inside scripts/test-env.sh"
if ! command -v wrk >/dev/null 2>&1; then
    [ "$(id -u)" -eq 0 ] || die "wrk is missing: apt-get install wrk"
    apt-get install -y --no-install-recommends wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y --no-install-recommends wrk >/dev/null; }
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

DB="hud_bench"
psql -q "$DATABASE_URL" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
BENCH_DB="${DATABASE_URL%/*}/$DB"
# HUD talks to PostgreSQL over the Unix socket, as on a single machine (loopback TCP would
# spend a fifth of the CPU in the kernel's TCP stack); psql keeps the TCP URL.
HUD_DB="postgres://postgres@localhost/$DB?host=$HUD_TEST_PG_SOCKET_DIR&port=$HUD_TEST_PG_PORT"

export DATABASE_URL="$HUD_DB" HUD_MEMCACHED="$HUD_TEST_MEMCACHED" HUD_LOG="warn" HUD_LOG_FORMAT=json
export HUD_SECRET_KEY="bench secret key, long enough for signing cookies"
# A pool sized for two cores: 8 connections did 15 % more uncached pages/s than 32 here (fewer
# PostgreSQL backends to wake and switch between), with a lower p99.
export HUD_DATA_DIR="$WORK" HUD_DB_MAX_CONNECTIONS=8
# Generous limits: the benchmark logs in once; rate limits must not interfere.
export HUD_LOGIN_LIMIT_PER_IP=100000 HUD_LOGIN_LIMIT_PER_ACCOUNT=100000
# High, not off: the benchmark pays for the API rate-limit check as production does.
export HUD_API_RATE_LIMIT=100000000 HUD_API_RATE_LIMIT_ANONYMOUS=100000000

PORT_A=$(free_port); PORT_B=$(free_port)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

"$HUD" migrate >/dev/null
HUD_ADMIN_PASSWORD="bench admin passphrase" "$HUD" users create --admin bench >/dev/null
# Nineteen more users: the admin users page then lists 20 rows.
psql -q "$BENCH_DB" -c "INSERT INTO users (username, email, password_hash)
    SELECT 'user' || i, 'user' || i || '@example.org', 'x' FROM generate_series(1, 19) i"

# A page with one crawl of 300 words (Zipf-like counts) for the cloud scenarios.
psql -q "$BENCH_DB" -c "INSERT INTO pages (url, title, last_crawl_at) VALUES ('https://bench.example/', 'Bench', now())" \
    -c "INSERT INTO crawls (page_id, crawled_at, outcome, words, counts, total)
        SELECT 1, now(), 'ok', array_agg(w ORDER BY w), array_agg(n ORDER BY w), sum(n)
        FROM (SELECT 'word' || lpad(i::text, 3, '0') AS w, (3000 / i)::int AS n
              FROM generate_series(1, 300) i) t"

# The reference search corpus (79 pages, 160 crawls, 923,371 word counts) for the search
# scenarios, its crawl times shifted into the search window.
python3 "$ROOT/bench/search_corpus.py" --out "$WORK/corpus" >/dev/null
python3 "$ROOT/bench/search_seed.py" "$WORK/corpus" "$WORK" >/dev/null
psql -q "$BENCH_DB" -c "\copy pages (url, title) FROM '$WORK/pages.copy'" \
    -c "CREATE TEMP TABLE corpus_crawls (url text, crawled_at timestamptz, words text[], counts int[], total int)" \
    -c "\copy corpus_crawls FROM '$WORK/crawls.copy'" \
    -c "INSERT INTO crawls (page_id, crawled_at, outcome, language, words, counts, total)
        SELECT p.id, c.crawled_at, 'ok', 'en', c.words, c.counts, c.total FROM corpus_crawls c JOIN pages p USING (url)"
python3 - "$WORK/corpus/queries.json" >"$WORK/search.lua" <<'PY'
import json, sys, urllib.parse
queries = json.load(open(sys.argv[1]))["queries"]
paths = ", ".join('"/api/v1/search?q=%s"' % urllib.parse.quote(q) for q in queries)
print("local paths = { %s }\nlocal counter = 0\nrequest = function()\n  counter = counter + 1\n  return wrk.format(\"GET\", paths[(counter %% #paths) + 1])\nend" % paths)
PY

# Prognosis: the WDBC samples and an SVC model (trained in a fraction of a second).
"$HUD" ml import >/dev/null
"$HUD" ml train --algorithm svc --name bench >/dev/null 2>&1

# No job workers: the bench page must not be re-crawled (and its caches dropped) mid-run.
export HUD_WORKERS=0
HUD_BIND="127.0.0.1:$PORT_A" "$HUD" serve 2>"$WORK/a.log" & pids+=($!)
HUD_BIND="127.0.0.1:$PORT_B" HUD_CACHE_LOCAL_BYTES=0 "$HUD" serve 2>"$WORK/b.log" & pids+=($!)
for port in "$PORT_A" "$PORT_B"; do
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null || die "instance on $port did not start"
done

# Log in as the admin (form with CSRF token) to get a session cookie for the uncached page.
JAR="$WORK/cookies"
token=$(curl -s -c "$JAR" "http://127.0.0.1:$PORT_A/accounts/login" | sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' | head -1)
curl -s -b "$JAR" -c "$JAR" -o /dev/null --data-urlencode "csrf_token=$token" \
    --data-urlencode "login=bench" --data-urlencode "password=bench admin passphrase" "http://127.0.0.1:$PORT_A/accounts/login"
SESSION=$(awk '$6 == "hud_session" {print $7}' "$JAR")
[ -n "$SESSION" ] || die "login failed"
rows=$(curl -s -H "Cookie: hud_session=$SESSION" "http://127.0.0.1:$PORT_A/admin/users" | grep -c '<td class="username">' || true)
[ "$rows" = 20 ] || die "admin users page shows $rows rows, expected 20"

. "$ROOT/bench/mix.sh"
write_mix "$WORK/mix.lua" "$PORT_A" "$SESSION"

run() { # round name url connections [extra wrk args...]
    local round=$1 name=$2 url=$3 conns=$4; shift 4
    [[ -z "${BENCH_ONLY:-}" || $name == baseline || " $BENCH_ONLY " == *" $name "* ]] || return 0
    local pid=${pids[0]}
    [[ $url == *":$PORT_B"* ]] && pid=${pids[1]}
    wrk -t1 -c"$conns" -d"${WARMUP}s" "$@" "$url" >/dev/null 2>&1 || true
    local before; before=$(cpu_ticks "$pid")
    wrk -t1 -c"$conns" -d"${DURATION}s" --latency "$@" "$url" >"$WORK/$name.$round.txt" 2>&1 || true
    # The instance's CPU time per request is steadier than requests/s on a busy machine.
    echo $(( $(cpu_ticks "$pid") - before )) >"$WORK/$name.$round.cpu"
}

hits=$(curl -s "http://127.0.0.1:$PORT_A/api/v1/search?q=renting%20rdse" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
[ "$hits" -gt 0 ] || die "the search index has no hits for the first reference query"
API_TOKEN=$(curl -s -H 'content-type: application/json' -d '{"username":"bench","password":"bench admin passphrase"}' \
    "http://127.0.0.1:$PORT_A/api/v1/auth/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
MODEL=$(curl -s "http://127.0.0.1:$PORT_A/api/v1/prognosis/models" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
cat >"$WORK/prognosis.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $API_TOKEN"
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, nil, nil, '{"model_id": $MODEL, "sample_id": ' .. ((counter % 569) + 1) .. '}')
end
LUA

# Every scenario once per round, the rounds one after another: the table reports medians over
# the rounds, so a few seconds of a noisy neighbour on a shared machine move one round, not
# the result. Ratios are taken within a round (baseline and scenario under the same
# conditions), then their median is reported.
for round in $(seq "$ROUNDS"); do
    run "$round" baseline "http://127.0.0.1:$PORT_A/healthz" 64
    run "$round" cached "http://127.0.0.1:$PORT_A/" 64
    run "$round" memcached "http://127.0.0.1:$PORT_B/" 64
    run "$round" db20 "http://127.0.0.1:$PORT_A/admin/users" 64 -H "Cookie: hud_session=$SESSION"
    run "$round" mix "http://127.0.0.1:$PORT_A" 100 -s "$WORK/mix.lua"
    run "$round" cloud "http://127.0.0.1:$PORT_A/pages/1" 64
    run "$round" cloudsvg "http://127.0.0.1:$PORT_A/pages/1/cloud.svg?scale=log" 64
    run "$round" prognosis "http://127.0.0.1:$PORT_A/api/v1/prognosis" 64 -s "$WORK/prognosis.lua"
    run "$round" search "http://127.0.0.1:$PORT_A" 64 -s "$WORK/search.lua"
    run "$round" searchmc "http://127.0.0.1:$PORT_B" 64 -s "$WORK/search.lua"
done

# The table: per scenario the medians over the rounds of requests/s, p50 and p99, the range of
# requests/s, errors summed over all rounds, and the median of the per-round ratios to the
# baseline.
table=$(python3 - "$WORK" "$ROUNDS" "$(getconf CLK_TCK)" <<'PY'
import os, re, statistics, sys
work, rounds, tick_us = sys.argv[1], int(sys.argv[2]), 1e6 / int(sys.argv[3])
scenarios = [
    ("baseline", "plaintext /healthz (c64)"),
    ("cached", "fully cached page / (c64)"),
    ("memcached", "local miss, memcached hit / (c64)"),
    ("db20", "uncached 20-row page /admin/users (c64)"),
    ("mix", "mix of pages (c100)"),
    ("cloud", "cloud page /pages/1, 300 words (c64)"),
    ("cloudsvg", "cloud SVG /pages/1/cloud.svg (c64)"),
    ("search", "search API, the 10 reference queries (c64)"),
    ("searchmc", "search API, 10 queries, B: memcached hits (c64)"),
    ("prognosis", "POST /api/v1/prognosis, SVC, recorded in the history (c64)"),
]

def parse(path):
    try:
        text = open(path).read()
    except OSError:
        text = ""
    def latency(label):
        m = re.search(r"^\s*%s%%\s+([\d.]+)(us|ms|s)\s*$" % label, text, re.M)
        if not m:
            return float("nan")
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    errors = 0 if rps else 1  # a run that reports nothing counts as failed
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    if m:
        errors += int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        errors += sum(int(x) for x in m.groups())
    done = re.search(r"(\d+) requests in", text)
    try:
        cpu = int(open(path[:-len(".txt")] + ".cpu").read()) * tick_us / int(done.group(1))
    except (OSError, ValueError, AttributeError, ZeroDivisionError):
        cpu = float("nan")
    return {"rps": float(rps.group(1)) if rps else 0.0, "p50": latency("50"), "p99": latency("99"),
            "errors": errors, "cpu": cpu}

only = os.environ.get("BENCH_ONLY", "").split()
scenarios = [s for s in scenarios if not only or s[0] == "baseline" or s[0] in only]
runs = {name: [parse(f"{work}/{name}.{r}.txt") for r in range(1, rounds + 1)] for name, _ in scenarios}
print("| scenario | requests/s | range | p50 ms | p99 ms | errors | vs baseline | HUD CPU µs/request |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for name, label in scenarios:
    results = runs[name]
    median = {k: statistics.median(r[k] for r in results) for k in ("rps", "p50", "p99", "cpu")}
    ratios = [r["rps"] / max(b["rps"], 1) * 100 for r, b in zip(results, runs["baseline"])]
    rps = [r["rps"] for r in results]
    print(f"| {label} | {median['rps']:.0f} | {min(rps):.0f}–{max(rps):.0f} | {median['p50']:.2f} | "
          f"{median['p99']:.2f} | {sum(r['errors'] for r in results)} | {statistics.median(ratios):.0f} % | "
          f"{median['cpu']:.1f} |")
PY
)

machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
report="### $(date -u +%Y-%m-%d) — load benchmark (\`make bench\`)

Machine: $machine; wrk -t1 on the same cores; ${DURATION} s per scenario after ${WARMUP} s warm-up;
${ROUNDS} rounds over all scenarios; medians over the rounds (range: requests/s of the slowest
and fastest round; errors: all rounds).
Two HUD dist-profile instances on one PostgreSQL 15 and two memcached servers; B has no local tier.

$table
"
echo "$report"
[ "${BENCH_RECORD:-1}" = 0 ] || printf '\n%s' "$report" >>"$ROOT/bench/RESULTS.md"
