#!/usr/bin/env bash
# A/B of two HUD builds on a shared machine: `bash bench/ab.sh OLD_BINARY NEW_BINARY` inside
# scripts/test-env.sh. Seeds the load benchmark's database (bench/load.sh, baseline only), runs
# one instance of each build side by side on it (same PostgreSQL, same memcached pool, both
# with the in-process tier), then drives each scenario in short slices that alternate between
# the two (A B A B …), so both see the same machine: a noisy neighbour moves a pair of slices,
# not one build. Prints the median requests/s and CPU per request of each build and their
# ratio. Knobs: AB_SLICES (slices per build and scenario, default 6), AB_SECONDS (default 3).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OLD=${1:?usage: bench/ab.sh OLD_BINARY NEW_BINARY}
NEW=${2:?usage: bench/ab.sh OLD_BINARY NEW_BINARY}
SLICES="${AB_SLICES:-6}"
SECONDS_PER_SLICE="${AB_SECONDS:-3}"
WORK="$(mktemp -d /tmp/hud-ab-XXXXXX)"

# Seeded by the old build; the new one applies its newer migrations when it starts (after the
# old one has started: a build refuses a database with migrations it does not know).
HUD_BIN="$OLD" BENCH_ONLY=none BENCH_ROUNDS=1 BENCH_DURATION=1 BENCH_WARMUP=1 BENCH_RECORD=0 \
    bash "$ROOT/bench/load.sh" >/dev/null
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
export DATABASE_URL="postgres://postgres@localhost/hud_bench?host=$HUD_TEST_PG_SOCKET_DIR&port=$HUD_TEST_PG_PORT"
export HUD_MEMCACHED="$HUD_TEST_MEMCACHED" HUD_LOG="warn" HUD_LOG_FORMAT=json HUD_WORKERS=0
export HUD_SECRET_KEY="bench secret key, long enough for signing cookies"
export HUD_DATA_DIR="$WORK" HUD_DB_MAX_CONNECTIONS=8
export HUD_LOGIN_LIMIT_PER_IP=100000 HUD_LOGIN_LIMIT_PER_ACCOUNT=100000
# High, not off: the benchmark pays for the API rate-limit check as production does.
export HUD_API_RATE_LIMIT=100000000 HUD_API_RATE_LIMIT_ANONYMOUS=100000000

PORT_A=$(free_port); PORT_B=$(free_port)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
ready() {
    for _ in $(seq 300); do curl -sf "http://127.0.0.1:$1/readyz" >/dev/null && return; sleep 0.1; done
    echo "ab: the instance on port $1 did not start:" >&2; cat "$WORK"/*.log >&2; exit 1
}
HUD_BIND="127.0.0.1:$PORT_A" "$OLD" serve 2>"$WORK/a.log" & pids+=($!)
ready "$PORT_A"
HUD_BIND="127.0.0.1:$PORT_B" "$NEW" serve 2>"$WORK/b.log" & pids+=($!)
ready "$PORT_B"

JAR="$WORK/cookies"
token=$(curl -s -c "$JAR" "http://127.0.0.1:$PORT_A/accounts/login" | sed -n 's/.*name="csrf_token" value="\([0-9a-f]*\)".*/\1/p' | head -1)
curl -s -b "$JAR" -c "$JAR" -o /dev/null --data-urlencode "csrf_token=$token" \
    --data-urlencode "login=bench" --data-urlencode "password=bench admin passphrase" "http://127.0.0.1:$PORT_A/accounts/login"
SESSION=$(awk '$6 == "hud_session" {print $7}' "$JAR")
# The mix of bench/load.sh, per instance: each build names its static files by their hashes.
. "$ROOT/bench/mix.sh"
for port in "$PORT_A" "$PORT_B"; do write_mix "$WORK/mix.$port.lua" "$port" "$SESSION"; done

slice() { # out pid port conns path [wrk args...] (MIX in the args: that port's mix script)
    local out=$1 pid=$2 port=$3 conns=$4 path=$5; shift 5
    set -- "${@/MIX/$WORK/mix.$port.lua}"
    wrk -t1 -c"$conns" -d1s "$@" "http://127.0.0.1:$port$path" >/dev/null 2>&1 || true
    local before; before=$(cpu_ticks "$pid")
    wrk -t1 -c"$conns" -d"${SECONDS_PER_SLICE}s" "$@" "http://127.0.0.1:$port$path" >"$out" 2>&1 || true
    echo "cpu_ticks $(( $(cpu_ticks "$pid") - before ))" >>"$out"
}
scenario() { # name conns path [wrk args...]
    local name=$1; shift
    for i in $(seq "$SLICES"); do
        slice "$WORK/$name.a.$i" "${pids[0]}" "$PORT_A" "$@"
        slice "$WORK/$name.b.$i" "${pids[1]}" "$PORT_B" "$@"
    done
}
scenario healthz 64 /healthz
scenario cached 64 /
scenario db20 64 /admin/users -H "Cookie: hud_session=$SESSION"
scenario mix 100 "" -s MIX
scenario cloud 64 /pages/1

python3 - "$WORK" "$SLICES" "$(getconf CLK_TCK)" "$OLD" "$NEW" <<'PY'
import re, statistics, sys
work, slices, tick_us = sys.argv[1], int(sys.argv[2]), 1e6 / int(sys.argv[3])
print(f"A = {sys.argv[4]}, B = {sys.argv[5]}; {slices} alternating slices each, medians\n")
print("| scenario | A requests/s | B requests/s | B / A | A CPU µs/request | B CPU µs/request | errors A / B |")
print("|---|---:|---:|---:|---:|---:|---:|")
names = {"healthz": "plaintext /healthz (c64)", "cached": "fully cached page / (c64)",
         "db20": "uncached 20-row page /admin/users (c64)", "mix": "mix of pages (c100)",
         "cloud": "cloud page /pages/1 (c64)"}
for name, label in names.items():
    res = {}
    errors = {"a": 0, "b": 0}
    for side in "ab":
        rps, cpu = [], []
        for i in range(1, slices + 1):
            text = open(f"{work}/{name}.{side}.{i}").read()
            r = re.search(r"Requests/sec:\s+([\d.]+)", text)
            n = re.search(r"(\d+) requests in", text)
            t = re.search(r"cpu_ticks (\d+)", text)
            m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
            errors[side] += int(m.group(1)) if m else 0
            if r and n and t:
                rps.append(float(r.group(1)))
                cpu.append(int(t.group(1)) * tick_us / max(int(n.group(1)), 1))
            else:
                errors[side] += 1
        res[side] = (statistics.median(rps or [0]), statistics.median(cpu or [float("nan")]))
    (ra, ca), (rb, cb) = res["a"], res["b"]
    print(f"| {label} | {ra:,.0f} | {rb:,.0f} | {rb / max(ra, 1) * 100:.0f} % | {ca:.1f} | {cb:.1f} | {errors['a']} / {errors['b']} |")
PY
