#!/usr/bin/env bash
# Memory benchmark for issue 17 item 6: a burst of sign-ins, and a tutor
# adding a class from a spreadsheet, against the server's resident memory.
#
#   bench/signin_memory.sh
#   ROUNDS=2 bench/signin_memory.sh
#
# What it does: builds the release binary, starts it on a fresh data folder,
# adds 40 learners and a tutor (`presto user add`), then
#   1. signs in the 40 learners at once, each from its own loopback address
#      (127.0.1.x), together with 30 sign-ins with unknown usernames from
#      one address (127.0.2.N in round N), all 70 in parallel (ROUNDS times);
#   2. the tutor makes a class and adds 100 learners from a pasted
#      spreadsheet.
# It samples VmRSS and VmHWM from /proc/PID/status every 50 ms and prints
# the peak, and the resident memory each second for 10 s after each step.
#
# Settings (environment):
#   ROUNDS       bursts of 70 sign-ins (default 2)
#   CARGO_TARGET_DIR  where the release build goes (default /work/.presto-ci-target)
#   PRESTO_BIN   a server binary to measure instead of building one (e.g. the
#                glibc build, `cargo build --release --no-default-features`)
#   KEEP=1       keep the temporary folder (database, server log)
#
# Targets (issue 17): peak VmHWM < 120 MB over the whole run; VmRSS < 70 MB
# within 10 s after each step.
#
# Exit status: 0 when the benchmark ran (whether or not the targets are met),
# 1 when it could not run properly. This is a benchmark, not a test: CI
# does not run it.
set -euo pipefail

ROUNDS=${ROUNDS:-2}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/work/.presto-ci-target}
PASSWORD=bench-password-1
TUTOR=bench-tutor

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench/signin_memory.sh: %s\n' "$*" >&2; exit 1; }

for tool in cargo curl python3; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed"
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/presto-signin.XXXXXX")
DATA=$WORK/data
CHILD_PID=
SERVER_PID=
cleanup() {
    local status=$?
    if [[ -n $CHILD_PID ]]; then
        kill "$CHILD_PID" 2>/dev/null || true
        wait "$CHILD_PID" 2>/dev/null || true
    fi
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

[[ -n ${PRESTO_BIN:-} ]] || say "building (release) into $CARGO_TARGET_DIR"
if [[ -z ${PRESTO_BIN:-} ]]; then
    cargo build --release --bin presto --manifest-path "$ROOT/Cargo.toml" &
    CHILD_PID=$!
    wait "$CHILD_PID" || die "the build failed"
    CHILD_PID=
fi
REVISION=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)
BIN=${PRESTO_BIN:-$CARGO_TARGET_DIR/release/presto}
[[ -x $BIN ]] || die "no binary at $BIN"

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

say "adding 40 learners and a tutor (presto user add)"
for i in $(seq -w 1 40); do
    echo "$PASSWORD" | "$BIN" user add "bench-learner-$i" --role learner \
        --name "Bench Learner $i" --password-stdin "${SERVER_FLAGS[@]}" >/dev/null \
        || die "user add failed"
done
echo "$PASSWORD" | "$BIN" user add "$TUTOR" --role tutor --name "Bench Tutor" \
    --password-stdin "${SERVER_FLAGS[@]}" >/dev/null || die "user add failed"

say "measuring (build $REVISION, $(nproc) cores)"
python3 - "$BASE" "$SERVER_PID" "$PASSWORD" "$TUTOR" "$ROUNDS" <<'PYTHON'
import http.client, re, sys, threading, time, urllib.parse

base, pid, password, tutor, rounds = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
host, port = urllib.parse.urlsplit(base).hostname, urllib.parse.urlsplit(base).port

def status_kb():
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
    return values["VmRSS"], values["VmHWM"]

samples = []  # (time, rss_kb, hwm_kb)
stop = threading.Event()
def sampler():
    while not stop.is_set():
        samples.append((time.monotonic(), *status_kb()))
        time.sleep(0.05)
threading.Thread(target=sampler, daemon=True).start()

class Browser:
    """One client: its own cookies, its own source address."""
    def __init__(self, source="127.0.0.1"):
        self.source, self.cookies = source, {}
    def request(self, method, path, fields=None):
        conn = http.client.HTTPConnection(host, port, timeout=120, source_address=(self.source, 0))
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                k, _, v = value.split(";")[0].partition("=")
                self.cookies[k] = v
        conn.close()
        return response.status, response.getheader("Location"), text
    def csrf(self, path="/login"):
        _, _, page = self.request("GET", path)
        match = re.search(r'name="csrf" value="([^"]*)"', page)
        if not match:
            sys.exit(f"no csrf field on {path}")
        return match.group(1)

def mb(kb):
    return f"{kb / 1024:.1f} MB"

def after(label, start_index):
    """Peak while the step ran, then RSS each second for 10 s."""
    end = time.monotonic()
    peak_rss = max(s[1] for s in samples[start_index:])
    rss_each_second = []
    for second in range(1, 11):
        time.sleep(max(0, end + second - time.monotonic()))
        rss_each_second.append(status_kb()[0])
    hwm = status_kb()[1]
    print(f"{label}: peak VmRSS sampled {mb(peak_rss)}, VmHWM so far {mb(hwm)}; "
          f"VmRSS 1..10 s after: {' '.join(f'{r / 1024:.0f}' for r in rss_each_second)} MB")
    return peak_rss, rss_each_second[-1]

rss0, hwm0 = status_kb()
print(f"idle after start-up and 41 accounts: VmRSS {mb(rss0)}, VmHWM {mb(hwm0)}")

results = []
for round_ in range(1, rounds + 1):
    learners = [Browser(f"127.0.1.{i}") for i in range(1, 41)]
    strangers = [Browser(f"127.0.2.{round_}") for _ in range(30)]
    tokens = [b.csrf() for b in learners + strangers]
    statuses = [None] * 70
    def sign_in(index):
        browser = (learners + strangers)[index]
        if index < 40:
            username, pw = f"bench-learner-{index + 1:02d}", password
        else:
            username, pw = f"nobody-{round_}-{index}", "wrong password"
        statuses[index] = browser.request(
            "POST", "/login", {"csrf": tokens[index], "username": username, "password": pw})[0]
    start_index = len(samples)
    began = time.monotonic()
    threads = [threading.Thread(target=sign_in, args=(i,)) for i in range(70)]
    for t in threads: t.start()
    for t in threads: t.join()
    took = time.monotonic() - began
    ok = statuses[:40].count(303)
    wrong = statuses[40:].count(401)
    others = sorted(set(statuses) - {303, 401})
    print(f"round {round_}: 70 sign-ins in {took:.1f} s: {ok}/40 signed in, {wrong}/30 unknown "
          f"refused (401), other statuses {others or 'none'}")
    results.append(after(f"round {round_}", start_index))

# A tutor adds 100 learners from a spreadsheet.
teacher = Browser("127.0.3.1")
status, location, _ = teacher.request(
    "POST", "/login", {"csrf": teacher.csrf(), "username": tutor, "password": password})
if status != 303:
    sys.exit(f"the tutor could not sign in: {status}")
_, _, new_page = teacher.request("GET", "/classes/new")
sector = re.search(r'<option value="([^"]+)"', new_page).group(1)
csrf = re.search(r'name="csrf" value="([^"]*)"', new_page).group(1)
status, location, _ = teacher.request(
    "POST", "/classes", {"csrf": csrf, "name": "Bench class", "sector": sector})
if status != 303:
    sys.exit(f"the class was not made: {status}")
class_path = urllib.parse.urlsplit(location).path
roster = "\n".join(f"bench-import-{i:03d},Imported Learner {i},en," for i in range(1, 101))
csrf = teacher.csrf(class_path + "/import")
start_index = len(samples)
began = time.monotonic()
status, _, cards = teacher.request("POST", class_path + "/import", {"csrf": csrf, "roster": roster})
took = time.monotonic() - began
made = cards.count("bench-import-")
print(f"spreadsheet: {status} in {took:.1f} s, {made} mentions of the 100 new usernames on the cards")
if status != 200:
    sys.exit("the spreadsheet import failed")
results.append(after("spreadsheet", start_index))
stop.set()

rss_end, hwm_end = status_kb()
peak = max(hwm_end, max(s[1] for s in samples))
settled = max(r[1] for r in results)
print()
print(f"| target | measured | result |")
print(f"|---|---|---|")
print(f"| peak VmHWM < 120 MB | {mb(hwm_end)} (highest VmRSS sampled {mb(max(s[1] for s in samples))}) | "
      f"{'met' if peak < 120 * 1024 else 'NOT met'} |")
print(f"| VmRSS < 70 MB 10 s after each step | worst {mb(settled)} | "
      f"{'met' if settled < 70 * 1024 else 'NOT met'} |")
PYTHON
LOG_BAD=$(grep -E '(ERROR|WARN)' "$WORK/server.log" | grep -vc 'No admin yet' || true)
printf 'server log: %s error/warning lines other than the start-up "No admin yet"\n' "$LOG_BAD"
