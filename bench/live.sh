#!/usr/bin/env bash
# Live classes under load (issue 19): real event streams, real answers.
#
#   bench/live.sh                         # one instance on SQLite, 100 x 30
#   DATABASE=postgres bench/live.sh       # two instances on one PostgreSQL
#   CLASSES=20 LEARNERS=30 QUESTIONS=3 bench/live.sh
#
# Settings (environment):
#   DATABASE        sqlite (one instance, default) or postgres (two instances,
#                   learners split between them; the tutors use the first)
#   CLASSES, LEARNERS, QUESTIONS, INTERVAL, ANSWER_WITHIN, OPEN_AT_ONCE
#                   passed to the load generator (bench/live.rs); defaults
#                   100, 30, 6, 10 s, 5 s, 3000 (streams opening at once)
#   FAULT=1         (postgres) kill -9 the second server KILL_AFTER seconds
#                   (default 30) into the run; its learners reconnect to the
#                   first with Last-Event-ID and go on answering
#   POSTGRES_ADMIN_URL  may CREATE DATABASE (default postgres://postgres@127.0.0.1:5432/postgres)
#   CARGO_TARGET_DIR    release build (default /work/.presto-ci-target)
#   PRESTO_BIN      the server binary to measure (default: the release build)
#   KEEP=1          keep the folder (database, server logs)
#
# Targets (issue 19): one instance on SQLite with 3,000 streams, the tutor's
# action to the last learner's event p99 < 250 ms, 0 answers lost, 0 errors,
# resident memory < 150 MB or < 30 KB per stream beyond idle; two instances
# on PostgreSQL, p99 < 500 ms.
#
# A benchmark, not a test: CI does not run it.
set -euo pipefail

DATABASE=${DATABASE:-sqlite}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/work/.presto-ci-target}
POSTGRES_ADMIN_URL=${POSTGRES_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench/live.sh: %s\n' "$*" >&2; exit 1; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/presto-live.XXXXXX")
PIDS=()
DB_NAME=
cleanup() {
    local status=$?
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [[ -n $DB_NAME ]]; then
        psql -q "$POSTGRES_ADMIN_URL" -c "DROP DATABASE IF EXISTS $DB_NAME" >/dev/null 2>&1 || true
    fi
    if [[ ${KEEP:-0} == 1 ]]; then printf 'kept %s\n' "$WORK" >&2; else rm -rf "$WORK"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# 3,000 streams need 3,000 sockets on each side.
ulimit -n "$(ulimit -Hn)"

say "building (release) into $CARGO_TARGET_DIR"
[[ -n ${PRESTO_BIN:-} ]] || cargo build --release --bin presto --manifest-path "$ROOT/Cargo.toml"
cargo bench --bench live --no-run --manifest-path "$ROOT/Cargo.toml" 2>"$WORK/build.log" \
    || { cat "$WORK/build.log" >&2; die "the load generator did not build"; }
BIN=${PRESTO_BIN:-$CARGO_TARGET_DIR/release/presto}
REVISION=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)

case $DATABASE in
    sqlite) DATABASE_URL="sqlite://$WORK/data/presto.db?mode=rwc"; INSTANCES=1 ;;
    postgres)
        DB_NAME=presto_live_bench_$$
        psql -q "$POSTGRES_ADMIN_URL" -c "CREATE DATABASE $DB_NAME" >/dev/null || die "cannot create $DB_NAME"
        DATABASE_URL="${POSTGRES_ADMIN_URL%/*}/$DB_NAME"; INSTANCES=2 ;;
    *) die "DATABASE is sqlite or postgres" ;;
esac
mkdir -p "$WORK/data"

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
    for _ in $(seq 1 50); do
        local candidate=$(( 20000 + RANDOM % 40000 ))
        if port_is_free "$candidate"; then echo "$candidate"; return; fi
    done
    die "found no free port"
}

while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep '^PRESTO_' || true)
BASES=
for i in $(seq 1 "$INSTANCES"); do
    port=$(free_port)
    "$BIN" serve --addr "127.0.0.1:$port" --courses "$ROOT/courses" --config "$WORK/no-presto.toml" \
        --data "$WORK/data" --database-url "$DATABASE_URL" >"$WORK/server-$i.out" 2>"$WORK/server-$i.log" &
    PIDS+=($!)
    for _ in $(seq 1 300); do
        [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz" || true) == 200 ]] && break
        kill -0 "${PIDS[-1]}" 2>/dev/null || { tail -n 20 "$WORK/server-$i.log" >&2; die "server $i stopped"; }
        sleep 0.1
    done
    BASES=${BASES:+$BASES,}http://127.0.0.1:$port
done

say "measuring (build $REVISION, $(nproc) cores, $DATABASE, $INSTANCES instance(s))"
if [[ ${FAULT:-0} == 1 ]]; then
    [[ $INSTANCES -ge 2 ]] || die "FAULT=1 needs DATABASE=postgres (two instances)"
    victim=${PIDS[1]}
    ( sleep "${KILL_AFTER:-30}"; kill -9 "$victim" 2>/dev/null && printf '==> killed server %s (kill -9)\n' "$victim" >&2 ) &
fi
FAULT=${FAULT:-0} BASES=$BASES DATABASE_URL=$DATABASE_URL SERVER_PIDS=$(IFS=,; echo "${PIDS[*]}") \
    cargo bench --bench live --manifest-path "$ROOT/Cargo.toml" 2>"$WORK/bench.log" \
    || { tail -n 30 "$WORK/bench.log" >&2; die "the load generator failed"; }
grep -E '^(set up|[0-9]+ streams open)' "$WORK/bench.log" >&2 || true
