#!/usr/bin/env bash
# Compare PostgreSQL drivers on the admin users query (bench/pg-drivers/): run inside
# scripts/test-env.sh. Creates a 20-row users table, starts the comparison server, drives each
# route with wrk (-t1 -c64, 2 s warm-up, 6 s measured) and prints requests/s and p99.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${HUD_TEST_PG_SOCKET_DIR:-}" ] || { echo "run inside scripts/test-env.sh" >&2; exit 1; }
psql -q "$DATABASE_URL" -c "DROP DATABASE IF EXISTS pg_drivers" -c "CREATE DATABASE pg_drivers"
DB="${DATABASE_URL%/*}/pg_drivers"
psql -q "$DB" -c "CREATE TABLE users (id bigserial PRIMARY KEY, username text, email text,
    is_admin bool DEFAULT false, preferred_language text, timezone text, avatar_version int DEFAULT 0,
    created_at timestamptz DEFAULT now(), last_login_at timestamptz, password_hash text)" \
    -c "INSERT INTO users (username, email, password_hash)
        SELECT 'user' || i, 'user' || i || '@example.org', 'x' FROM generate_series(1, 20) i"
cargo build --release --quiet --manifest-path bench/pg-drivers/Cargo.toml \
    --target-dir "${PG_DRIVERS_TARGET:-/tmp/pg-drivers-target}"
DATABASE_URL="postgres://postgres@localhost/pg_drivers?host=$HUD_TEST_PG_SOCKET_DIR&port=$HUD_TEST_PG_PORT" \
TP_URL="host=$HUD_TEST_PG_SOCKET_DIR port=$HUD_TEST_PG_PORT user=postgres dbname=pg_drivers" \
    "${PG_DRIVERS_TARGET:-/tmp/pg-drivers-target}/release/pg-drivers" & server=$!
trap 'kill $server 2>/dev/null' EXIT
for _ in $(seq 50); do curl -sf http://127.0.0.1:8099/plain >/dev/null && break; sleep 0.2; done
echo "| route | requests/s | p99 |"
echo "|---|---:|---:|"
for route in plain pool conn tp; do
    wrk -t1 -c64 -d2s "http://127.0.0.1:8099/$route" >/dev/null
    out=$(wrk -t1 -c64 -d6s --latency "http://127.0.0.1:8099/$route")
    echo "| /$route | $(echo "$out" | awk '/Requests\/sec/ {print $2}') | $(echo "$out" | awk '$1 == "99%" {print $2}') |"
done
