#!/usr/bin/env bash
# Scale benchmark for issue 5: seeds a database (SQLite and PostgreSQL),
# starts the server on it, signs in as the seeded coordinator and measures
#   - the coordinator dashboard (/reports) with a load generator (oha or wrk),
#     and alone: filtered by sector, by dates, by class, and the funder report,
#   - /classes/{id}/progress when that route answers 200 ("not measured"
#     otherwise: another branch builds it),
#   - the peak resident memory of the server while it streams the CSV of all
#     completions (/reports/completions.csv), sampled from /proc/PID/status.
#
#   bench/scale.sh                                  # full scale, both databases
#   LEARNERS=20000 CLASSES=800 ROWS=1000000 bench/scale.sh
#   DATABASES=sqlite bench/scale.sh
#
# Settings (environment):
#   LEARNERS, CLASSES, ROWS   what to seed (default 100000, 4000, 5000000)
#   DATABASES                 "sqlite postgres" (default), or one of them
#   POSTGRES_ADMIN_URL        a PostgreSQL URL allowed to CREATE DATABASE
#                             (default postgres://postgres@127.0.0.1:5432/postgres)
#   DURATION                  each measured load run (default 15s)
#   CONNECTIONS               concurrent connections (default 4)
#   CARGO_TARGET_DIR          release build (default /work/.presto-ci-target)
#   KEEP=1                    keep the folder (databases, logs)
#
# The target (issue 5): each page under 300 ms, the export streaming with
# flat memory. This is a benchmark, not a test: CI does not run it.
set -euo pipefail

LEARNERS=${LEARNERS:-100000}
CLASSES=${CLASSES:-4000}
ROWS=${ROWS:-5000000}
DATABASES=${DATABASES:-"sqlite postgres"}
POSTGRES_ADMIN_URL=${POSTGRES_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-4}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/work/.presto-ci-target}
STAFF_PASSWORD=seed-staff-password

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench/scale.sh: %s\n' "$*" >&2; exit 1; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
for tool in cargo curl awk; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed"
done

# A load generator: oha, else wrk, else install oha with cargo (said so).
LOADGEN=
if command -v oha >/dev/null 2>&1; then LOADGEN=oha
elif command -v wrk >/dev/null 2>&1; then LOADGEN=wrk
else
    say "neither oha nor wrk is installed: installing oha with cargo install oha"
    cargo install oha --locked >&2 || die "could not install oha (install wrk or oha and run again)"
    LOADGEN=oha
fi
say "load generator: $LOADGEN"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/presto-scale.XXXXXX")
SERVER_PID=
SAMPLER_PID=
PG_DB=
cleanup() {
    local status=$?
    [[ -n $SAMPLER_PID ]] && kill "$SAMPLER_PID" 2>/dev/null || true
    if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    if [[ -n $PG_DB && ${KEEP:-0} != 1 ]]; then
        psql "$POSTGRES_ADMIN_URL" -qc "DROP DATABASE IF EXISTS \"$PG_DB\" WITH (FORCE)" >/dev/null 2>&1 || true
    fi
    if [[ ${KEEP:-0} == 1 ]]; then printf 'kept %s\n' "$WORK" >&2; else rm -rf "$WORK"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "building (release) into $CARGO_TARGET_DIR"
cargo build --release --bin presto --manifest-path "$ROOT/Cargo.toml" >&2 || die "the build failed"
BIN=$CARGO_TARGET_DIR/release/presto
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep '^PRESTO_' || true)

port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
csrf_of() { sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$1" | head -n 1; }

# Mean and p99 in ms of one path: "mean p99 requests non2xx".
measure() { # path cookie
    local path=$1 cookie=$2 out=$WORK/load.txt
    if [[ $LOADGEN == oha ]]; then
        oha --no-tui -z "$DURATION" -c "$CONNECTIONS" -H "Cookie: presto=$cookie" \
            --output-format json "$BASE$path" >"$out" 2>/dev/null || true
        python3 - "$out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]; p = d.get("latencyPercentiles", {})
codes = d.get("statusCodeDistribution", {})
bad = sum(v for k, v in codes.items() if not k.startswith("2"))
total = sum(codes.values())
print(f'{s["average"]*1000:.1f} {p.get("p99", 0)*1000:.1f} {total} {bad}')
PY
    else
        cat >"$WORK/report.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("BENCH %d %.1f %.1f %d\n", summary.requests, latency.mean / 1000,
    latency:percentile(99) / 1000, summary.errors.status))
end
LUA
        wrk -t1 -c "$CONNECTIONS" -d "$DURATION" --timeout 30s -s "$WORK/report.lua" \
            -H "Cookie: presto=$cookie" "$BASE$path" >"$out" 2>&1 || true
        awk '$1 == "BENCH" { print $3, $4, $2, $5 }' "$out"
    fi
}

RESULTS=$WORK/results.txt
: >"$RESULTS"
for DB in $DATABASES; do
    DATA=$WORK/data-$DB
    mkdir -p "$DATA"
    case $DB in
        sqlite) URL="sqlite://$DATA/presto.db?mode=rwc" ;;
        postgres)
            command -v psql >/dev/null 2>&1 || die "psql is needed for PostgreSQL"
            PG_DB=presto_scale_$$
            psql "$POSTGRES_ADMIN_URL" -qc "CREATE DATABASE \"$PG_DB\"" >/dev/null || die "cannot create $PG_DB"
            URL="${POSTGRES_ADMIN_URL%/*}/$PG_DB" ;;
        *) die "unknown database $DB" ;;
    esac
    FLAGS=(--config "$WORK/no-presto.toml" --data "$DATA" --database-url "$URL")

    say "[$DB] seeding $LEARNERS learners, $CLASSES classes, $ROWS progress rows"
    start=$(date +%s)
    "$BIN" seed --learners "$LEARNERS" --classes "$CLASSES" --progress-rows "$ROWS" \
        --courses "$ROOT/courses" --staff-password "$STAFF_PASSWORD" "${FLAGS[@]}" 2>"$WORK/seed-$DB.log" \
        || { tail -n 20 "$WORK/seed-$DB.log" >&2; die "seeding failed"; }
    SEED_SECONDS=$(( $(date +%s) - start ))
    cat "$WORK/seed-$DB.log" >&2
    [[ $DB == sqlite ]] && DB_SIZE=$(du -sh "$DATA" | cut -f1) || \
        DB_SIZE=$(psql "$URL" -Atc "SELECT pg_size_pretty(pg_database_size(current_database()))")

    PORT=
    for _ in $(seq 1 50); do c=$(( 20000 + RANDOM % 40000 )); if port_is_free "$c"; then PORT=$c; break; fi; done
    BASE=http://127.0.0.1:$PORT
    "$BIN" serve --addr "127.0.0.1:$PORT" --courses "$ROOT/courses" "${FLAGS[@]}" \
        >"$WORK/server-$DB.out" 2>"$WORK/server-$DB.log" &
    SERVER_PID=$!
    for _ in $(seq 1 600); do
        kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 20 "$WORK/server-$DB.log" >&2; die "the server stopped"; }
        [[ $(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz" || true) == 200 ]] && break
        sleep 0.2
    done

    JAR=$WORK/cookies-$DB.txt
    CURL=(curl -sS -b "$JAR" -c "$JAR")
    "${CURL[@]}" -o "$WORK/login.html" "$BASE/login"
    csrf=$(csrf_of "$WORK/login.html")
    code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' --data-urlencode "csrf=$csrf" \
        --data-urlencode "username=seed-coordinator" --data-urlencode "password=$STAFF_PASSWORD" "$BASE/login")
    [[ $code == 303 ]] || die "[$DB] sign-in failed ($code)"
    cookie() { "${CURL[@]}" -o /dev/null "$BASE/reports"; awk -F '\t' '$6 == "presto" { v = $7 } END { print v }' "$JAR"; }

    # One request alone first (cold), then under load.
    single=$("${CURL[@]}" -o "$WORK/reports.html" -w '%{http_code} %{time_total}' "$BASE/reports")
    [[ ${single%% *} == 200 ]] || die "[$DB] /reports answered ${single%% *}"
    grep -q 'data-sector="total"' "$WORK/reports.html" || die "[$DB] /reports shows no figures"
    read -r mean p99 requests bad < <(measure /reports "$(cookie)")
    printf '%s dashboard single=%.0fms mean=%sms p99=%sms requests=%s non2xx=%s\n' "$DB" \
        "$(awk -v t="${single#* }" 'BEGIN { print t * 1000 }')" "$mean" "$p99" "$requests" "$bad" | tee -a "$RESULTS"

    # Filtered dashboards and the funder report, each one request alone.
    for path in "/reports?sector=care" "/reports?from=$(date -u -d '-90 days' +%F)&to=$(date -u +%F)" \
                "/reports?class=17" "/reports/funder" "/reports/funder.csv?sector=construction"; do
        one=$("${CURL[@]}" -o /dev/null -w '%{http_code} %{time_total}' "$BASE$path")
        printf '%s single %s status=%s time=%.0fms\n' "$DB" "$path" "${one%% *}" \
            "$(awk -v t="${one#* }" 'BEGIN { print t * 1000 }')" | tee -a "$RESULTS"
    done
    read -r mean p99 requests bad < <(measure /reports/funder "$(cookie)")
    printf '%s funder mean=%sms p99=%sms requests=%s non2xx=%s\n' "$DB" "$mean" "$p99" "$requests" "$bad" | tee -a "$RESULTS"

    CLASS_ID=$(curl -sS -o /dev/null -w '%{http_code}' -b "$JAR" "$BASE/classes/1/progress")
    if [[ $CLASS_ID == 200 ]]; then
        read -r mean p99 requests bad < <(measure /classes/1/progress "$(cookie)")
        printf '%s class-progress mean=%sms p99=%sms requests=%s non2xx=%s\n' "$DB" "$mean" "$p99" "$requests" "$bad" | tee -a "$RESULTS"
    else
        printf '%s class-progress not measured (/classes/1/progress answered %s)\n' "$DB" "$CLASS_ID" | tee -a "$RESULTS"
    fi

    # The export: peak resident memory while streaming every completion.
    RSS_LOG=$WORK/rss-$DB.log
    : >"$RSS_LOG"
    ( while kill -0 "$SERVER_PID" 2>/dev/null; do
          awk '$1 == "VmRSS:" { print $2 }' "/proc/$SERVER_PID/status" >>"$RSS_LOG"; sleep 0.1
      done ) &
    SAMPLER_PID=$!
    sleep 0.5
    before=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$SERVER_PID/status")
    export_stats=$(curl -sS -o "$WORK/completions.csv" -w '%{http_code} %{size_download} %{time_total}' \
        -H "Cookie: presto=$(cookie)" "$BASE/reports/completions.csv")
    sleep 0.3
    kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=
    peak=$(sort -n "$RSS_LOG" | tail -n 1)
    # The shape over the download: flat memory means the quarters agree.
    quarters=$(awk '{ v[NR] = $1 } END { n = NR; if (n < 4) { print "too few samples"; exit }
        printf "%d/%d/%d/%dMB", v[int(n/4)]/1024, v[int(n/2)]/1024, v[int(3*n/4)]/1024, v[n]/1024 }' "$RSS_LOG")
    lines=$(( $(wc -l <"$WORK/completions.csv") - 1 ))
    read -r code size seconds <<<"$export_stats"
    printf '%s completions.csv status=%s rows=%s bytes=%s time=%ss rss_before=%sMB rss_peak=%sMB rss_quarters=%s\n' "$DB" \
        "$code" "$lines" "$size" "$seconds" "$(( before / 1024 ))" "$(( peak / 1024 ))" "$quarters" | tee -a "$RESULTS"
    printf '%s seeded in %ss, size %s\n' "$DB" "$SEED_SECONDS" "$DB_SIZE" | tee -a "$RESULTS"

    kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
done
say "results ($LEARNERS learners, $CLASSES classes, $ROWS progress rows, $LOADGEN, $CONNECTIONS connections, $DURATION):"
cat "$RESULTS"
