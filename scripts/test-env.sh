#!/usr/bin/env bash
# Run a command inside a throwaway test environment for HUD:
#   - a private PostgreSQL 15 cluster on a free loopback port,
#   - two memcached servers on free loopback ports,
#   - chromedriver on a free loopback port,
#   - an SMTP server (aiosmtpd from PyPI, in a venv under target/) on a free loopback port.
#
# Usage: scripts/test-env.sh CMD [ARGS...]
#
# Exports to CMD:
#   DATABASE_URL           postgres://postgres@127.0.0.1:PORT/postgres
#   HUD_TEST_PG_SOCKET_DIR, HUD_TEST_PG_PORT   its Unix socket (directory and port)
#   HUD_TEST_PG_DATA, HUD_TEST_PG_BINDIR       its data directory and server binaries (for drills
#                          that stop and restart it)
#   HUD_TEST_MEMCACHED     127.0.0.1:P1,127.0.0.1:P2
#   HUD_TEST_CHROMEDRIVER  http://127.0.0.1:P3
#   HUD_TEST_CHROMIUM      /usr/bin/chromium
#   HUD_TEST_SMTP          smtp://127.0.0.1:P4, an SMTP server (aiosmtpd) that keeps every
#                          message it gets in the Maildir HUD_TEST_MAILDIR
#   SQLX_OFFLINE           true   (unless already set, e.g. by `make sqlx-prepare`)
#   TMPDIR                 a private directory, removed on exit with everything in it
#
# Everything started here is stopped again on exit (normal exit, INT or TERM),
# and the exit status is that of CMD.
#
# Knobs (environment):
#   HUD_TEST_DIR        where the cluster and logs live (default: <repo>/target/test-env;
#                       wiped at start)
#   HUD_PG_BINDIR       PostgreSQL server binaries (default: /usr/lib/postgresql/15/bin)
#   HUD_TEST_NO_INSTALL set to 1 to never call apt-get
#   HUD_TEST_SMTP_VENV  the venv that holds aiosmtpd (default: <repo>/target/smtp-venv)
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_BINDIR="${HUD_PG_BINDIR:-/usr/lib/postgresql/15/bin}"
CHROMIUM=/usr/bin/chromium
CHROMEDRIVER=/usr/bin/chromedriver
WAIT_SECS=10

log() { printf 'test-env: %s\n' "$*" >&2; }
die() { printf 'test-env: error: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# ---------------------------------------------------------------- tools ----

ensure_tools() {
    local missing=()
    command -v memcached >/dev/null 2>&1 || missing+=(memcached)
    [ -x "$CHROMIUM" ] || missing+=(chromium)
    [ -x "$CHROMEDRIVER" ] || missing+=(chromium-driver)
    # The audio alternative of captchas is tested for real.
    command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
    [ -x "$PG_BINDIR/initdb" ] && [ -x "$PG_BINDIR/pg_ctl" ] ||
        die "PostgreSQL 15 server binaries not found in $PG_BINDIR (install postgresql-15, or set HUD_PG_BINDIR)"
    [ "${#missing[@]}" -eq 0 ] && return 0

    if [ "${HUD_TEST_NO_INSTALL:-0}" = 1 ] || ! is_root; then
        die "missing packages: ${missing[*]}; install them as root with:
    apt-get install -y --no-install-recommends ${missing[*]}"
    fi
    command -v apt-get >/dev/null 2>&1 || die "missing packages (${missing[*]}) and no apt-get"

    log "installing ${missing[*]} (apt-get)"
    # Keep the packages' init scripts from starting system-wide daemons
    # (memcached on :11211) while installing: we only want the binaries.
    local policy=/usr/sbin/policy-rc.d made_policy=0
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made_policy=1
    fi
    local ok=0 aptlog
    aptlog="$(mktemp /tmp/hud-apt-XXXXXX.log)"
    export DEBIAN_FRONTEND=noninteractive
    if apt-get install -y -q --no-install-recommends "${missing[@]}" >"$aptlog" 2>&1; then
        ok=1
    else
        log "apt-get install failed; running apt-get update and retrying"
        if apt-get update -q >>"$aptlog" 2>&1 &&
            apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$aptlog" 2>&1; then
            ok=1
        fi
    fi
    [ "$made_policy" = 1 ] && rm -f "$policy"
    if [ "$ok" != 1 ]; then
        tail -n 30 "$aptlog" >&2
        rm -f "$aptlog"
        die "could not install: ${missing[*]}"
    fi
    rm -f "$aptlog"
    command -v memcached >/dev/null 2>&1 && [ -x "$CHROMIUM" ] && [ -x "$CHROMEDRIVER" ] ||
        die "packages installed but binaries still missing"
}

# ---------------------------------------------------------------- ports ----

# Print N distinct free loopback TCP ports, separated by spaces.
free_ports() {
    local n="$1" py
    py="$(command -v /usr/bin/python3 python3 2>/dev/null | head -n1 || true)"
    if [ -n "$py" ]; then
        "$py" - "$n" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
        return
    fi
    # Fallback without python: random high ports that nothing listens on.
    local out=() p
    while [ "${#out[@]}" -lt "$n" ]; do
        p=$((20000 + RANDOM % 12000))
        case " ${out[*]} " in *" $p "*) continue ;; esac
        port_open "$p" && continue
        out+=("$p")
    done
    echo "${out[*]}"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_port NAME PORT [PID]: wait until PORT accepts connections, failing if PID dies.
wait_port() {
    local name="$1" port="$2" pid="${3:-}" i
    for ((i = 0; i < WAIT_SECS * 10; i++)); do
        port_open "$port" && return 0
        if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
            die "$name exited before listening on port $port (see $TEST_DIR/$name.log)"
        fi
        sleep 0.1
    done
    die "$name did not accept connections on 127.0.0.1:$port within ${WAIT_SECS}s (see $TEST_DIR/$name.log)"
}

# -------------------------------------------------------------- cleanup ----

PG_DATA=""
PG_STARTED=0
SOCK_DIR=""
TMP_BASE=""
CHROME_TMP=""
RUN_TMP=""
BG_PIDS=()
CHILD_PID=""
CLEANED=0

# Run as the postgres user when root (initdb refuses root); from / so that an
# unreadable working directory (e.g. under /root) does not bother it.
as_pg() {
    if is_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

cleanup() {
    [ "$CLEANED" = 1 ] && return 0
    CLEANED=1
    set +e
    local i
    if [ -n "$CHILD_PID" ] && kill -0 "$CHILD_PID" 2>/dev/null; then
        kill -TERM "$CHILD_PID" 2>/dev/null
        for ((i = 0; i < 50; i++)); do kill -0 "$CHILD_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$CHILD_PID" 2>/dev/null
    fi
    if [ "$PG_STARTED" = 1 ] && [ -f "$PG_DATA/postmaster.pid" ]; then
        as_pg "$PG_BINDIR/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1 ||
            as_pg "$PG_BINDIR/pg_ctl" -D "$PG_DATA" -m immediate -w -t 10 stop >/dev/null 2>&1
    fi
    local pid extra=()
    # chromium processes launched by chromedriver (e.g. a test that crashed mid-session)
    [ "${#BG_PIDS[@]}" -gt 0 ] && mapfile -t extra < <(descendants "${BG_PIDS[@]}")
    for pid in "${BG_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    for pid in "${extra[@]}"; do kill -KILL "$pid" 2>/dev/null; done
    for pid in "${BG_PIDS[@]}"; do
        for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    [ -n "$SOCK_DIR" ] && rm -rf "$SOCK_DIR"
    [ -n "$PG_DATA" ] && rm -rf "$PG_DATA"
    if [ -n "$TMP_BASE" ]; then
        cp "$TMP_BASE/postgres.log" "$TEST_DIR/postgres.log" 2>/dev/null
        rm -rf "$TMP_BASE"
    fi
    [ -n "$CHROME_TMP" ] && rm -rf "$CHROME_TMP"
    [ -n "$RUN_TMP" ] && rm -rf "$RUN_TMP"
    return 0
}

# Print all descendant PIDs of the given PIDs (from /proc, no procps needed).
descendants() {
    local -A kids=()
    local p st ppid
    for p in /proc/[0-9]*; do
        read -r st 2>/dev/null <"$p/stat" || continue
        st="${st##*) }"   # drop "pid (comm) ", comm may contain spaces
        ppid="${st#* }"; ppid="${ppid%% *}"
        kids[$ppid]+=" ${p#/proc/}"
    done
    local queue=("$@") cur c
    while [ "${#queue[@]}" -gt 0 ]; do
        cur="${queue[0]}"; queue=("${queue[@]:1}")
        for c in ${kids[$cur]:-}; do echo "$c"; queue+=("$c"); done
    done
}

on_signal() {
    local sig="$1" code="$2"
    trap - INT TERM
    log "caught SIG$sig, shutting down"
    cleanup
    exit "$code"
}

TEST_DIR=""
trap 'rc=$?; cleanup; exit $rc' EXIT
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM

# ---------------------------------------------------------------- start ----

ensure_tools

T0=$(date +%s.%N)

TEST_DIR="${HUD_TEST_DIR:-$ROOT/target/test-env}"
mkdir -p "$TEST_DIR"
TEST_DIR="$(cd "$TEST_DIR" && pwd)"

# One environment per test dir at a time (the cluster dir is wiped at start).
exec 9>"$TEST_DIR/.lock"
flock -n 9 || die "another test-env is running with $TEST_DIR (set HUD_TEST_DIR to use another)"

rm -rf "$TEST_DIR/pg" "$TEST_DIR/postgres.log" "$TEST_DIR"/memcached-*.log

# The cluster must be reachable by the postgres user; if some parent directory
# of the project is not traversable for it, put the cluster under /tmp instead.
PG_PARENT="$TEST_DIR"
if is_root; then
    chmod o+x "$TEST_DIR" 2>/dev/null || true
    if ! runuser -u postgres -- test -x "$TEST_DIR" 2>/dev/null; then
        TMP_BASE="$(mktemp -d /tmp/hud-test-XXXXXX)"
        chmod 755 "$TMP_BASE"
        PG_PARENT="$TMP_BASE"
    fi
fi
PG_DATA="$PG_PARENT/pg"
mkdir -p "$PG_DATA"
chmod 700 "$PG_DATA"
# Unix socket paths are limited to ~107 bytes: keep the socket dir short.
SOCK_DIR="$(mktemp -d /tmp/hud-pgsock-XXXXXX)"
if is_root; then
    chown postgres:postgres "$PG_DATA" "$SOCK_DIR"
fi

read -r PG_PORT MC_PORT1 MC_PORT2 CD_PORT SMTP_PORT <<<"$(free_ports 5)"

# --- PostgreSQL ---
initdb_log="$TEST_DIR/initdb.log"
: >"$initdb_log"
if ! as_pg "$PG_BINDIR/initdb" -D "$PG_DATA" -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8 \
    >"$initdb_log" 2>&1; then
    rm -rf "${PG_DATA:?}"/* 2>/dev/null
    as_pg "$PG_BINDIR/initdb" -D "$PG_DATA" -A trust -U postgres --no-sync -E UTF8 --locale=C \
        >>"$initdb_log" 2>&1 || { tail -n 20 "$initdb_log" >&2; die "initdb failed (see $initdb_log)"; }
fi
# Written by the server as postgres, so it lives next to the data dir.
pg_log="$PG_PARENT/postgres.log"
: >"$pg_log"
is_root && chown postgres:postgres "$pg_log"
PG_STARTED=1
as_pg "$PG_BINDIR/pg_ctl" -D "$PG_DATA" -l "$pg_log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $SOCK_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400 -c shared_buffers=128MB -c shared_preload_libraries=pg_stat_statements" \
    start 9>&- >/dev/null 2>&1 || { tail -n 20 "$pg_log" >&2; die "PostgreSQL failed to start (see $TEST_DIR/postgres.log)"; }
wait_port postgres "$PG_PORT"
log "postgres     127.0.0.1:$PG_PORT (data $PG_DATA)"

# --- memcached x2 ---
for port in "$MC_PORT1" "$MC_PORT2"; do
    memcached -u nobody -l 127.0.0.1 -p "$port" -U 0 -m 64 </dev/null >"$TEST_DIR/memcached-$port.log" 2>&1 9>&- &
    pid=$!
    BG_PIDS+=("$pid")
    wait_port "memcached-$port" "$port" "$pid"
    log "memcached    127.0.0.1:$port (pid $pid)"
done

# --- chromedriver ---
# Its TMPDIR is private so that profiles of sessions a test never closed
# (org.chromium.Chromium.scoped_dir.*) are removed with it.
CHROME_TMP="$(mktemp -d /tmp/hud-chrome-XXXXXX)"
TMPDIR="$CHROME_TMP" "$CHROMEDRIVER" --port="$CD_PORT" </dev/null >"$TEST_DIR/chromedriver.log" 2>&1 9>&- &
pid=$!
BG_PIDS+=("$pid")
wait_port chromedriver "$CD_PORT" "$pid"
log "chromedriver 127.0.0.1:$CD_PORT (pid $pid)"

# --- SMTP ---
# aiosmtpd keeps every message in a Maildir, which tests read (password-reset mail).
AIOSMTPD_VERSION="1.4.6"
SMTP_VENV="${HUD_TEST_SMTP_VENV:-$ROOT/target/smtp-venv}"
if ! "$SMTP_VENV/bin/python" -c 'import aiosmtpd' 2>/dev/null; then
    log "installing aiosmtpd $AIOSMTPD_VERSION into $SMTP_VENV (pip)"
    python3 -m venv "$SMTP_VENV" >"$TEST_DIR/smtp-venv.log" 2>&1 &&
        "$SMTP_VENV/bin/pip" install -q "aiosmtpd==$AIOSMTPD_VERSION" >>"$TEST_DIR/smtp-venv.log" 2>&1 ||
        die "cannot install aiosmtpd (see $TEST_DIR/smtp-venv.log)"
fi
MAILDIR="$TEST_DIR/maildir"
rm -rf "$MAILDIR"
"$SMTP_VENV/bin/python" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$MAILDIR" \
    </dev/null >"$TEST_DIR/smtp.log" 2>&1 9>&- &
pid=$!
BG_PIDS+=("$pid")
wait_port smtp "$SMTP_PORT" "$pid"
log "smtp         127.0.0.1:$SMTP_PORT (pid $pid, Maildir $MAILDIR)"

T1=$(date +%s.%N)
log "environment ready in $(awk -v a="$T0" -v b="$T1" 'BEGIN{printf "%.1f", b-a}')s; running: $*"

export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
# The same server's Unix socket (what a single-machine deployment and `make run` use).
export HUD_TEST_PG_SOCKET_DIR="$SOCK_DIR" HUD_TEST_PG_PORT="$PG_PORT"
# For fault drills that stop and restart the cluster (bench/pg-restart.sh).
export HUD_TEST_PG_DATA="$PG_DATA" HUD_TEST_PG_BINDIR="$PG_BINDIR"
export HUD_TEST_MEMCACHED="127.0.0.1:$MC_PORT1,127.0.0.1:$MC_PORT2"
export HUD_TEST_CHROMEDRIVER="http://127.0.0.1:$CD_PORT"
export HUD_TEST_CHROMIUM="$CHROMIUM"
export HUD_TEST_SMTP="smtp://127.0.0.1:$SMTP_PORT" HUD_TEST_MAILDIR="$MAILDIR"
export SQLX_OFFLINE="${SQLX_OFFLINE:-true}"
# The command's own TMPDIR: scratch directories that tests create (data dirs, browser
# profiles) go with the environment instead of piling up in /tmp run after run.
RUN_TMP="$(mktemp -d /tmp/hud-run-XXXXXX)"
chmod 755 "$RUN_TMP"
export TMPDIR="$RUN_TMP"

# Run the command in the background and wait for it, so that a TERM sent to this
# script is handled at once (and forwarded) rather than after the command ends.
# The subshell restores default INT/QUIT handling (bash ignores them for
# background jobs) and keeps our stdin if we have one.
if { true <&0; } 2>/dev/null; then
    (trap - INT QUIT; exec "$@") <&0 9>&- &
else
    (trap - INT QUIT; exec "$@") </dev/null 9>&- &
fi
CHILD_PID=$!
set +e
wait "$CHILD_PID"
status=$?
# `wait` returns >128 when interrupted by a trapped signal; the traps exit themselves,
# so reaching here means the command finished.
set -e
CHILD_PID=""
exit "$status"
