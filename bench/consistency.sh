#!/usr/bin/env bash
# Consistency soak of the model-cache layer: run by `make bench` inside scripts/test-env.sh.
# Three dist-profile HUD instances on one database and two memcached servers of this script's own
# (so they can be frozen, killed and restarted); bench/consistency.py writes through HUD, reads
# back through every instance and injects faults for SOAK_SECONDS (default 60), then reports
# writes, reads, faults and stale reads (a read that began ≥ 1 s after a write committed and
# returned an older value — must be 0). The report is appended to bench/RESULTS.md; the exit
# status is non-zero when a stale read was seen.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HUD="${HUD_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/dist/hud}"
SECONDS_TO_RUN="${SOAK_SECONDS:-60}"
WORK="$(mktemp -d /tmp/hud-soak-XXXXXX)"

die() { echo "soak: $*" >&2; exit 1; }
[ -x "$HUD" ] || die "no dist binary at $HUD (run make bench)"
[ -n "${DATABASE_URL:-}" ] || die "run inside scripts/test-env.sh"
command -v memcached >/dev/null || die "memcached is missing (scripts/test-env.sh installs it)"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done; return 1; }

DB="hud_soak"
psql -q "$DATABASE_URL" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
SOAK_DB="${DATABASE_URL%/*}/$DB"

pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -CONT "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

mc_json=()
mc_addrs=()
for _ in 1 2; do
    port=$(free_port)
    memcached -u nobody -l 127.0.0.1 -p "$port" -m 64 >/dev/null 2>&1 &
    pids+=($!)
    wait_port "$port" || die "memcached on $port did not start"
    mc_addrs+=("127.0.0.1:$port")
    mc_json+=("{\"pid\": $!, \"port\": $port, \"argv\": [\"memcached\", \"-u\", \"nobody\", \"-l\", \"127.0.0.1\", \"-p\", \"$port\", \"-m\", \"64\"]}")
done

export DATABASE_URL="$SOAK_DB" HUD_LOG=warn HUD_DATA_DIR="$WORK" HUD_WORKERS=0
export HUD_MEMCACHED="$(IFS=,; echo "${mc_addrs[*]}")"
export HUD_SECRET_KEY="soak secret key, long enough for signing cookies"
export HUD_LOGIN_LIMIT_PER_IP=100000 HUD_LOGIN_LIMIT_PER_ACCOUNT=100000
# High, not off: the benchmark pays for the API rate-limit check as production does.
export HUD_API_RATE_LIMIT=100000000 HUD_API_RATE_LIMIT_ANONYMOUS=100000000
PASSWORD="soak passphrase for every user"

"$HUD" migrate >/dev/null
HUD_ADMIN_PASSWORD="$PASSWORD" "$HUD" users create --admin soakadmin >/dev/null
users=()
for i in 1 2 3 4; do
    HUD_ADMIN_PASSWORD="$PASSWORD" "$HUD" users create "soak$i" >/dev/null
    users+=("\"soak$i\"")
done

instances=()
for _ in 1 2 3; do
    port=$(free_port)
    HUD_BIND="127.0.0.1:$port" "$HUD" serve >"$WORK/hud-$port.log" 2>&1 &
    pids+=($!)
    instances+=("\"http://127.0.0.1:$port\"")
done
for i in "${instances[@]}"; do
    url="${i//\"/}"
    for _ in $(seq 300); do curl -fsS "$url/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
    curl -fsS "$url/readyz" >/dev/null || die "instance $url is not ready"
done

config=$(cat <<EOF
{"instances": [$(IFS=,; echo "${instances[*]}")],
 "memcached": [$(IFS=,; echo "${mc_json[*]}")],
 "users": [$(IFS=,; echo "${users[*]}")],
 "password": "$PASSWORD", "hud": "$HUD", "psql": "$SOAK_DB", "seconds": $SECONDS_TO_RUN,
 "env": {"DATABASE_URL": "$SOAK_DB", "HUD_MEMCACHED": "$HUD_MEMCACHED", "HUD_LOG": "warn",
         "HUD_DATA_DIR": "$WORK", "HUD_SECRET_KEY": "$HUD_SECRET_KEY", "PATH": "$PATH"}}
EOF
)
status=0
report=$(echo "$config" | python3 "$ROOT/bench/consistency.py") || status=$?
echo "$report"

{
    echo
    echo "## Consistency soak — $(date -u +%Y-%m-%d) ($(nproc) cores, $(uname -sr))"
    echo
    echo "\`bash bench/consistency.sh\` inside \`scripts/test-env.sh\` (SOAK_SECONDS=$SECONDS_TO_RUN; 3 dist-profile"
    echo "instances, 2 memcached; faults: memcached frozen/killed+restarted, listener connections terminated)."
    echo
    echo '```json'
    echo "$report"
    echo '```'
} >>"$ROOT/bench/RESULTS.md"
exit "$status"
