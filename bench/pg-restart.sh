#!/usr/bin/env bash
# PostgreSQL faults under load: run by `make bench` inside scripts/test-env.sh, whose cluster it
# restarts and stops (HUD_TEST_PG_DATA). One dist-profile HUD instance with the two memcached
# servers of the test environment; bench/pg_restart.py loads it (an uncached admin page and the
# cached home page), restarts PostgreSQL, then stops it for 30 s, and reports how fast uncached
# pages answer again, what the outage looked like and what /readyz said. Appended to
# bench/RESULTS.md; the exit status is non-zero when a goal is missed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HUD="${HUD_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/dist/hud}"
WORK="$(mktemp -d /tmp/hud-pgdrill-XXXXXX)"

die() { echo "pg-restart: $*" >&2; exit 1; }
[ -x "$HUD" ] || die "no dist binary at $HUD (run make bench)"
[ -n "${HUD_TEST_PG_DATA:-}" ] || die "run inside scripts/test-env.sh"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

DB="hud_pgdrill"
psql -q "$DATABASE_URL" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
DRILL_DB="${DATABASE_URL%/*}/$DB"

pid=""
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    wait 2>/dev/null || true
    # Leave the cluster running for whatever runs next in the test environment.
    [ -f "$WORK/start.sh" ] && { $PG_CTL status >/dev/null 2>&1 || bash "$WORK/start.sh" >/dev/null 2>&1 || true; }
    rm -rf "$WORK"
}
trap cleanup EXIT

# pg_ctl as the cluster's owner (initdb refused root), its server log in the work dir.
PG_LOG="$WORK/postgres.log"
touch "$PG_LOG"
if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$WORK" "$PG_LOG"
    PG_CTL="runuser -u postgres -- $HUD_TEST_PG_BINDIR/pg_ctl -D $HUD_TEST_PG_DATA -l $PG_LOG -w -t 60"
else
    PG_CTL="$HUD_TEST_PG_BINDIR/pg_ctl -D $HUD_TEST_PG_DATA -l $PG_LOG -w -t 60"
fi

export DATABASE_URL="$DRILL_DB" HUD_LOG=warn HUD_DATA_DIR="$WORK" HUD_WORKERS=0
export HUD_MEMCACHED="$HUD_TEST_MEMCACHED"
export HUD_SECRET_KEY="drill secret key, long enough for signing cookies"
export HUD_LOGIN_LIMIT_PER_IP=100000 HUD_LOGIN_LIMIT_PER_ACCOUNT=100000
PASSWORD="drill passphrase for the admin"

"$HUD" migrate >/dev/null
HUD_ADMIN_PASSWORD="$PASSWORD" "$HUD" users create --admin drilladmin >/dev/null
for i in $(seq 20); do HUD_ADMIN_PASSWORD="$PASSWORD" "$HUD" users create "drill$i" >/dev/null; done

port=$(free_port)
HUD_BIND="127.0.0.1:$port" "$HUD" serve >"$WORK/hud.log" 2>&1 &
pid=$!
url="http://127.0.0.1:$port"
for _ in $(seq 300); do curl -fsS "$url/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "$url/readyz" >/dev/null || die "instance $url is not ready"

# `pg_ctl restart` reuses the server's command line (postmaster.opts); `start` needs it given.
opts="$(sed 's/^[^ ]* //' "$HUD_TEST_PG_DATA/postmaster.opts")"
printf '%s\n' "$PG_CTL -m fast restart" >"$WORK/restart.sh"
printf '%s\n' "$PG_CTL -m fast stop" >"$WORK/stop.sh"
printf '%s -o %q start\n' "$PG_CTL" "$opts" >"$WORK/start.sh"
config=$(cat <<EOF
{"url": "$url", "admin": "drilladmin", "password": "$PASSWORD", "pg_port": $HUD_TEST_PG_PORT,
 "restart": "bash $WORK/restart.sh", "stop": "bash $WORK/stop.sh", "start": "bash $WORK/start.sh"}
EOF
)
status=0
report=$(echo "$config" | python3 "$ROOT/bench/pg_restart.py") || status=$?
echo "$report"

{
    echo
    echo "### $(date -u +%Y-%m-%d) — PostgreSQL restarted and down under load (\`bash bench/pg-restart.sh\`)"
    echo
    echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr); one dist instance, 8 client threads alternating \`/admin/users\` (uncached, as an admin) and \`/\` (cached); PostgreSQL 15, 2 memcached."
    echo
    echo "$report"
} >>"$ROOT/bench/RESULTS.md"
exit "$status"
