#!/usr/bin/env bash
# Load benchmark for issue 3: a signed-in learner's lesson page against
# /healthz on the same server, in the same run, with wrk on loopback.
#
#   bench/load.sh                      # 20 s per run, 2 rounds
#   DURATION=30s ROUNDS=3 bench/load.sh
#
# Settings (environment):
#   DURATION     length of each measured wrk run (default 20s)
#   ROUNDS       healthz/lesson pairs, run alternately (default 2, at least 2)
#   CONNECTIONS  wrk connections (default 64)
#   THREADS      wrk threads (default 2)
#   WARMUP       unmeasured warm-up run on each URL before the rounds (default 3s)
#   CARGO_TARGET_DIR  where the release build goes (default /work/.presto-ci-target)
#   PRESTO_BIN   a server binary to measure instead of building one (e.g. the
#                glibc build, `cargo build --release --no-default-features`)
#   RUST_LOG     passed to the server as is (its default, info, logs no line per request)
#   KEEP=1       keep the temporary folder (database, server log, wrk output)
#
# Targets (issue 3): lesson req/s >= 0.35 x healthz req/s, lesson p99 < 25 ms
# at 64 connections, resident memory < 60 MB during the run, lesson page HTML
# + app.css + app.js <= 30 KB gzip-compressed.
#
# Exit status: 0 when the benchmark ran (whether or not the targets are met),
# 1 when it could not run properly (build, start-up, sign-in, a lesson that is
# not served, wrong responses under load), 2 when wrk is missing.
#
# This is a benchmark, not a test: CI does not run it. The figures are noisy
# on a shared machine, so compare the ratios within one run.
set -euo pipefail

DURATION=${DURATION:-20s}
ROUNDS=${ROUNDS:-2}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-3s}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/work/.presto-ci-target}
COURSE=hospitality-kitchen-english
LEARNER=bench-learner
PASSWORD=password123

# Targets.
MIN_RATIO=0.35
MAX_P99_MS=25
MAX_RSS_MB=60
MAX_PAGE_KB=30

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench/load.sh: %s\n' "$*" >&2; exit 1; }

if ! command -v wrk >/dev/null 2>&1; then
    printf '%s\n' "bench/load.sh: wrk is not installed. Install it, e.g.:" \
        "    sudo apt-get install -y wrk    # Debian, Ubuntu" \
        "    brew install wrk               # macOS" >&2
    exit 2
fi
for tool in cargo curl awk gzip; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed"
done
if (( ROUNDS < 2 )); then
    die "ROUNDS must be at least 2 (got $ROUNDS)"
fi

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# --- clean-up on any exit: the build or wrk, the sampler, the server, the folder
WORK=$(mktemp -d "${TMPDIR:-/tmp}/presto-load.XXXXXX")
DATA=$WORK/data
CHILD_PID=
SERVER_PID=
SAMPLER_PID=
cleanup() {
    local status=$?
    if [[ -n $CHILD_PID ]]; then
        kill "$CHILD_PID" 2>/dev/null || true
        wait "$CHILD_PID" 2>/dev/null || true
    fi
    if [[ -n $SAMPLER_PID ]]; then kill "$SAMPLER_PID" 2>/dev/null || true; fi
    if [[ -n $SERVER_PID ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [[ ${KEEP:-0} == 1 ]]; then
        printf 'kept %s\n' "$WORK" >&2
    else
        rm -rf "$WORK"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- build -----------------------------------------------------------------
[[ -n ${PRESTO_BIN:-} ]] || say "building (release) into $CARGO_TARGET_DIR"
# In the background, so a signal stops the build too (see cleanup).
if [[ -z ${PRESTO_BIN:-} ]]; then
    cargo build --release --bin presto --manifest-path "$ROOT/Cargo.toml" &
    CHILD_PID=$!
    wait "$CHILD_PID" || die "the build failed"
    CHILD_PID=
fi
REVISION=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)
BIN=${PRESTO_BIN:-$CARGO_TARGET_DIR/release/presto}
[[ -x $BIN ]] || die "no binary at $BIN"

# --- a fresh server ----------------------------------------------------------
# A port nobody listens on (a small race with other programs, checked below).
port_is_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT=
for _ in $(seq 1 50); do
    candidate=$(( 20000 + RANDOM % 40000 ))
    if port_is_free "$candidate"; then PORT=$candidate; break; fi
done
[[ -n $PORT ]] || die "found no free port"
BASE=http://127.0.0.1:$PORT

# Only the flags below configure the server: no presto.toml, no PRESTO_* env.
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep '^PRESTO_' || true)
SERVER_FLAGS=(--config "$WORK/no-presto.toml" --data "$DATA")

say "starting the server on $BASE (data in $DATA)"
"$BIN" serve --addr "127.0.0.1:$PORT" --courses "$ROOT/courses" "${SERVER_FLAGS[@]}" \
    >"$WORK/server.out" 2>"$WORK/server.log" &
SERVER_PID=$!

for _ in $(seq 1 300); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        tail -n 20 "$WORK/server.log" >&2
        die "the server stopped during start-up"
    fi
    if [[ $(curl -s -o /dev/null -w '%{http_code}' "$BASE/healthz" || true) == 200 ]]; then
        break
    fi
    sleep 0.1
done
[[ $(curl -s "$BASE/healthz") == ok ]] || die "/healthz never answered 200 ok"

# --- a learner, signed in and enrolled ------------------------------------------
say "adding learner $LEARNER"
echo "$PASSWORD" | "$BIN" user add "$LEARNER" --role learner --name "Bench Learner" \
    --password-stdin "${SERVER_FLAGS[@]}" >/dev/null || die "user add failed"

JAR=$WORK/cookies.txt
CURL=(curl -sS -b "$JAR" -c "$JAR")
csrf_of() { sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$1" | head -n 1; }

"${CURL[@]}" -o "$WORK/login.html" "$BASE/login"
csrf=$(csrf_of "$WORK/login.html")
[[ -n $csrf ]] || die "no csrf field on /login"
read -r code location < <("${CURL[@]}" -o /dev/null -w '%{http_code} %{redirect_url}\n' \
    --data-urlencode "csrf=$csrf" --data-urlencode "username=$LEARNER" \
    --data-urlencode "password=$PASSWORD" "$BASE/login")
[[ $code == 303 && $location != *"/login"* ]] \
    || die "sign-in failed: $code to ${location:-nowhere}"

"${CURL[@]}" -o "$WORK/course.html" "$BASE/courses/$COURSE"
csrf=$(csrf_of "$WORK/course.html")
[[ -n $csrf ]] || die "no csrf field on /courses/$COURSE"
read -r code location < <("${CURL[@]}" -o /dev/null -w '%{http_code} %{redirect_url}\n' \
    --data-urlencode "csrf=$csrf" "$BASE/courses/$COURSE/enrol")
[[ $code == 303 && $location == *"/courses/$COURSE/lessons/"* ]] \
    || die "enrolling failed: $code to ${location:-nowhere}"
LESSON_URL=$location
LESSON_PATH=${LESSON_URL#"$BASE"}

# The first visit stores the position; later visits only read.
code=$("${CURL[@]}" -o "$WORK/lesson.html" -w '%{http_code}' "$LESSON_URL")
[[ $code == 200 ]] || die "the lesson answered $code, not 200"
grep -q '<article class="lesson"' "$WORK/lesson.html" \
    || die "the lesson answer is not a lesson page (signed out?)"
grep -q 'name="password"' "$WORK/lesson.html" && die "the lesson answer is a sign-in form"

# The session cookie as the browser now holds it (curl marks HttpOnly
# cookies with a #HttpOnly_ prefix, so no comment lines are skipped).
COOKIE=$(awk -F '\t' '$6 == "presto" { value = $7 } END { print value }' "$JAR")
[[ -n $COOKIE ]] || die "no presto cookie in the jar"

# Once more exactly as wrk will ask: cookie header only, gzip.
code=$(curl -sS -o "$WORK/lesson.gz" -D "$WORK/lesson.headers" -w '%{http_code}' \
    -H "Cookie: presto=$COOKIE" -H 'Accept-Encoding: gzip' "$BASE$LESSON_PATH")
[[ $code == 200 ]] || die "the lesson with the cookie header answered $code"
grep -qi '^content-encoding: *gzip' "$WORK/lesson.headers" \
    || die "the lesson page was not gzip-compressed"
gzip -dc "$WORK/lesson.gz" | grep -q '<article class="lesson"' \
    || die "the compressed answer is not the lesson page"
LESSON_TITLE=$(sed -n 's:.*<title>\(.*\)</title>.*:\1:p' "$WORK/lesson.html" | head -n 1)
say "lesson: $LESSON_PATH ($LESSON_TITLE) answers 200 with the lesson"

# --- compressed size of the page with its CSS and JS -----------------------------
CSS_PATH=$(grep -o '/assets/app\.css?v=[^"]*' "$WORK/lesson.html" | head -n 1)
JS_PATH=$(grep -o '/assets/app\.js?v=[^"]*' "$WORK/lesson.html" | head -n 1)
[[ -n $CSS_PATH && -n $JS_PATH ]] || die "the lesson page does not link app.css and app.js"
size_of() { # path, extra curl args...: body bytes as transferred
    local path=$1; shift
    curl -sS -o /dev/null -w '%{size_download}' -H "Cookie: presto=$COOKIE" "$@" "$BASE$path"
}
HTML_GZ=$(size_of "$LESSON_PATH" -H 'Accept-Encoding: gzip')
CSS_GZ=$(size_of "$CSS_PATH" -H 'Accept-Encoding: gzip')
JS_GZ=$(size_of "$JS_PATH" -H 'Accept-Encoding: gzip')
PAGE_GZ=$(( HTML_GZ + CSS_GZ + JS_GZ ))
PAGE_RAW=$(( $(size_of "$LESSON_PATH") + $(size_of "$CSS_PATH") + $(size_of "$JS_PATH") ))

# --- memory sampler ----------------------------------------------------------------
RSS_LOG=$WORK/rss.log
: >"$RSS_LOG"
sample_memory() {
    local key value _
    while kill -0 "$SERVER_PID" 2>/dev/null; do
        local rss=0 hwm=0
        while read -r key value _; do
            case $key in
                VmRSS:) rss=$value ;;
                VmHWM:) hwm=$value ;;
            esac
        done <"/proc/$SERVER_PID/status" 2>/dev/null || break
        printf '%s %s\n' "$rss" "$hwm" >>"$RSS_LOG"
        sleep 0.2
    done
}
read_status() { # VmRSS or VmHWM, in kB
    awk -v key="$1:" '$1 == key { print $2 }' "/proc/$SERVER_PID/status"
}
RSS_IDLE=$(read_status VmRSS)
HWM_IDLE=$(read_status VmHWM)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
sample_memory &
SAMPLER_PID=$!

# --- wrk -----------------------------------------------------------------------------
# A done() hook that prints exact figures (latency in microseconds) after
# wrk's own report; it adds no per-request work.
cat >"$WORK/report.lua" <<'EOF'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d bytes=%d non2xx3xx=%d connect=%d read=%d write=%d timeout=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, summary.bytes, e.status, e.connect, e.read,
    e.write, e.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max))
end
EOF

# The session cookie carries a snapshot of the account that the server
# reads again once it is a minute old, sending a new cookie. A browser keeps
# the new cookie; wrk cannot, so before each run the cookie is refreshed the
# way a browser would (one request through the cookie jar).
refresh_cookie() {
    curl -sS -o /dev/null -b "$JAR" -c "$JAR" "$BASE$LESSON_PATH"
    COOKIE=$(awk -F '\t' '$6 == "presto" { value = $7 } END { print value }' "$JAR")
    [[ -n $COOKIE ]] || die "no presto cookie in the jar"
}

field() { # file key -> value from the BENCH line
    sed -n "s/^BENCH .*\\b$2=\\([0-9]*\\).*/\\1/p" "$1"
}

# The server's CPU time so far (user + system), in clock ticks.
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }

declare -A RPS P99 P50 NON2XX SOCKERR BPR RSS_PEAK CPU_US
run_wrk() { # name path duration
    local name=$1 path=$2 duration=$3 out=$WORK/wrk-$1.txt start end cpu_start cpu_end
    refresh_cookie
    local WRK=(wrk -t"$THREADS" -c"$CONNECTIONS" --latency -s "$WORK/report.lua"
        -H "Cookie: presto=$COOKIE" -H 'Accept-Encoding: gzip')
    start=$(wc -l <"$RSS_LOG")
    cpu_start=$(cpu_ticks)
    # In the background, so a signal stops the run at once (see cleanup).
    "${WRK[@]}" -d "$duration" "$BASE$path" >"$out" 2>&1 &
    CHILD_PID=$!
    wait "$CHILD_PID" || { cat "$out" >&2; die "wrk failed on $path"; }
    CHILD_PID=
    cpu_end=$(cpu_ticks)
    end=$(wc -l <"$RSS_LOG")
    grep -q '^BENCH ' "$out" || { cat "$out" >&2; die "no figures from wrk on $path"; }
    local requests duration_us bytes
    requests=$(field "$out" requests)
    duration_us=$(field "$out" duration_us)
    bytes=$(field "$out" bytes)
    RPS[$name]=$(awk -v r="$requests" -v d="$duration_us" 'BEGIN { printf "%.0f", r / (d / 1e6) }')
    P50[$name]=$(awk -v v="$(field "$out" p50_us)" 'BEGIN { printf "%.2f", v / 1000 }')
    P99[$name]=$(awk -v v="$(field "$out" p99_us)" 'BEGIN { printf "%.2f", v / 1000 }')
    NON2XX[$name]=$(field "$out" non2xx3xx)
    SOCKERR[$name]=$(( $(field "$out" connect) + $(field "$out" read) + $(field "$out" write) + $(field "$out" timeout) ))
    BPR[$name]=$(( requests > 0 ? bytes / requests : 0 ))
    # Server CPU per request: less sensitive to the machine's other load
    # than req/s (the tick is 10 ms; a run has thousands).
    CPU_US[$name]=$(awk -v t=$(( cpu_end - cpu_start )) -v hz="$CLK_TCK" -v r="$requests" \
        'BEGIN { printf "%.0f", (r > 0 ? t / hz * 1e6 / r : 0) }')
    RSS_PEAK[$name]=$(sed -n "$((start + 1)),${end}p" "$RSS_LOG" \
        | awk '$1 > max { max = $1 } END { print max + 0 }')
    printf '    %-12s %6s req/s  p50 %7s ms  p99 %7s ms  server CPU %4s us/req  %5s B/response  non-2xx/3xx %s  socket errors %s\n' \
        "$name" "${RPS[$name]}" "${P50[$name]}" "${P99[$name]}" "${CPU_US[$name]}" "${BPR[$name]}" \
        "${NON2XX[$name]}" "${SOCKERR[$name]}" >&2
}

COMMAND="wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency -s report.lua -H 'Cookie: presto=…' -H 'Accept-Encoding: gzip' URL"
say "warm-up: $WARMUP on each URL (not counted)"
run_wrk warm-healthz /healthz "$WARMUP"
run_wrk warm-lesson "$LESSON_PATH" "$WARMUP"
say "measuring: $COMMAND, $ROUNDS rounds of healthz then lesson"
for round in $(seq 1 "$ROUNDS"); do
    run_wrk "healthz-$round" /healthz "$DURATION"
    run_wrk "lesson-$round" "$LESSON_PATH" "$DURATION"
done

kill "$SAMPLER_PID" 2>/dev/null || true
wait "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=
RSS_HWM=$(read_status VmHWM)
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
RSS_END=$(read_status VmRSS)
RSS_RUN_PEAK=$(awk '$1 > max { max = $1 } END { print max + 0 }' "$RSS_LOG")
SAMPLES=$(wc -l <"$RSS_LOG")

# --- sanity ---------------------------------------------------------------------------
problems=0
for round in $(seq 1 "$ROUNDS"); do
    for name in "healthz-$round" "lesson-$round"; do
        if (( ${NON2XX[$name]} > 0 || ${SOCKERR[$name]} > 0 )); then
            printf 'PROBLEM: %s had %s non-2xx/3xx responses and %s socket errors\n' \
                "$name" "${NON2XX[$name]}" "${SOCKERR[$name]}" >&2
            problems=1
        fi
    done
    # A 303 to /login would pass wrk's status check; its body is tiny.
    if (( ${BPR[lesson-$round]} < HTML_GZ )); then
        printf 'PROBLEM: lesson-%s averaged %s bytes per response, less than the %s-byte page\n' \
            "$round" "${BPR[lesson-$round]}" "$HTML_GZ" >&2
        problems=1
    fi
done
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: presto=$COOKIE" "$BASE$LESSON_PATH")
if [[ $code != 200 ]]; then
    printf 'PROBLEM: after the load the lesson answers %s\n' "$code" >&2
    problems=1
fi
LOG_LINES=$(wc -l <"$WORK/server.log")
LOG_BAD=$(grep -cE '(ERROR|WARN)' "$WORK/server.log" || true)
# The start-up "No admin yet" warning is expected on a fresh data folder.
LOG_BAD_OTHER=$(grep -E '(ERROR|WARN)' "$WORK/server.log" | grep -vc 'No admin yet' || true)
if (( LOG_BAD_OTHER > 0 )); then
    printf 'PROBLEM: %s error/warning lines in the server log, first ones:\n' "$LOG_BAD_OTHER" >&2
    grep -E '(ERROR|WARN)' "$WORK/server.log" | grep -v 'No admin yet' | head -n 5 >&2
    problems=1
fi

# --- summary ---------------------------------------------------------------------------
kb() { awk -v v="$1" 'BEGIN { printf "%.1f", v / 1024 }'; }
mb() { awk -v v="$1" 'BEGIN { printf "%.1f", v / 1024 }'; } # from kB
verdict() { if [[ $1 == 1 ]]; then echo met; else echo "NOT met"; fi; }

RATIOS=()
WORST_RATIO=
WORST_P99=0
for round in $(seq 1 "$ROUNDS"); do
    ratio=$(awk -v l="${RPS[lesson-$round]}" -v h="${RPS[healthz-$round]}" 'BEGIN { printf "%.3f", l / h }')
    RATIOS+=("$ratio")
    if [[ -z $WORST_RATIO ]] || awk -v a="$ratio" -v b="$WORST_RATIO" 'BEGIN { exit !(a < b) }'; then
        WORST_RATIO=$ratio
    fi
    if awk -v a="${P99[lesson-$round]}" -v b="$WORST_P99" 'BEGIN { exit !(a > b) }'; then
        WORST_P99=${P99[lesson-$round]}
    fi
done
BEST_RATIO=$(printf '%s\n' "${RATIOS[@]}" | sort -g | tail -n 1)
ratio_ok=$(awk -v a="$WORST_RATIO" -v t="$MIN_RATIO" 'BEGIN { print (a >= t) ? 1 : 0 }')
ratio_best_ok=$(awk -v a="$BEST_RATIO" -v t="$MIN_RATIO" 'BEGIN { print (a >= t) ? 1 : 0 }')
p99_ok=$(awk -v a="$WORST_P99" -v t="$MAX_P99_MS" 'BEGIN { print (a < t) ? 1 : 0 }')
PEAK_KB=$(( RSS_RUN_PEAK > RSS_HWM ? RSS_RUN_PEAK : RSS_HWM ))
rss_ok=$(( PEAK_KB < MAX_RSS_MB * 1024 ? 1 : 0 ))
page_ok=$(( PAGE_GZ <= MAX_PAGE_KB * 1024 ? 1 : 0 ))

cat <<EOF

Presto load benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, wrk and server on one machine)
command: $COMMAND
lesson:  $LESSON_PATH ("$LESSON_TITLE")
build:   $REVISION (release)

| pair | healthz req/s | lesson req/s | ratio | lesson p50 | lesson p99 | healthz p99 | server CPU/req healthz, lesson | lesson B/response | server RSS peak |
|---|---|---|---|---|---|---|---|---|---|
EOF
for round in $(seq 1 "$ROUNDS"); do
    printf '| %s | %s | %s | %s | %s ms | %s ms | %s ms | %s us, %s us | %s | %s MB |\n' \
        "$round" "${RPS[healthz-$round]}" "${RPS[lesson-$round]}" "${RATIOS[$((round - 1))]}" \
        "${P50[lesson-$round]}" "${P99[lesson-$round]}" "${P99[healthz-$round]}" \
        "${CPU_US[healthz-$round]}" "${CPU_US[lesson-$round]}" "${BPR[lesson-$round]}" \
        "$(mb "$(( ${RSS_PEAK[healthz-$round]} > ${RSS_PEAK[lesson-$round]} ? ${RSS_PEAK[healthz-$round]} : ${RSS_PEAK[lesson-$round]} ))")"
done
cat <<EOF

| target | measured | result |
|---|---|---|
| lesson req/s >= $MIN_RATIO x healthz req/s | worst pair $WORST_RATIO, best $BEST_RATIO | $(verdict "$ratio_ok") (best pair: $(verdict "$ratio_best_ok")) |
| lesson p99 < $MAX_P99_MS ms at $CONNECTIONS connections | worst run $WORST_P99 ms | $(verdict "$p99_ok") |
| resident memory < $MAX_RSS_MB MB | peak VmRSS sampled $(mb "$RSS_RUN_PEAK") MB, VmHWM $(mb "$RSS_HWM") MB (before the load: VmRSS $(mb "$RSS_IDLE") MB, VmHWM $(mb "$HWM_IDLE") MB; after: VmRSS $(mb "$RSS_END") MB) | $(verdict "$rss_ok") |
| lesson page + CSS + JS <= $MAX_PAGE_KB KB gzip | $(kb "$PAGE_GZ") KB (html $(kb "$HTML_GZ"), css $(kb "$CSS_GZ"), js $(kb "$JS_GZ")); $(kb "$PAGE_RAW") KB uncompressed | $(verdict "$page_ok") |

load average (1, 5, 15 min): $LOAD_BEFORE before the load, $LOAD_AFTER after
memory: $SAMPLES samples of /proc/PID/status every 0.2 s; VmHWM is the peak since start-up
server log: $LOG_LINES lines, $LOG_BAD ERROR/WARN lines ($LOG_BAD_OTHER other than the start-up "No admin yet")
EOF

if (( problems )); then
    echo "The run had problems (above): its figures are not valid." >&2
    exit 1
fi
