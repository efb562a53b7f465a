#!/usr/bin/env bash
# The fault suite (issue 22): learners' writes through the JSON API while
# something breaks, then a count of what was acknowledged and what was lost.
#
#   bench/faults.sh                          # 50 learners, a 10 s PostgreSQL outage
#   FAULTS_LEARNERS=100 FAULTS_OUTAGE_SECS=20 bench/faults.sh
#
# Each scenario is an integration test in tests/platform/faults.rs (and the
# SMTP one in tests/platform/email.rs); CI runs them with fewer learners and
# a 7 s outage. Here they run with more load, one at a time, and each
# prints a `FAULTS |` line that this script gathers into a table:
#
#   1. kill -9 under load, SQLite and PostgreSQL (a `presto serve` process)
#   2. a PostgreSQL of the test's own stopped and started again mid-load
#      (pg_ctl, its own data folder and port; not the machine's server)
#   3. the SMTP server down while certificates are earned, Presto restarted
#      in the outage, the SMTP server back
#   4. the SQLite data folder on a small tmpfs that fills up (needs root)
#   5. two instances on one PostgreSQL, one killed
#
# Lost must be 0 in every row: a test fails on any acknowledged write that
# is missing, so a row only prints when it held.
#
# Settings (environment):
#   FAULTS_LEARNERS     learners writing at once (default 50)
#   FAULTS_OUTAGE_SECS  how long PostgreSQL stays down (default 10)
#   PRESTO_TEST_POSTGRES_URL  may CREATE DATABASE (default postgres://postgres@127.0.0.1:5432/postgres)
#   CARGO_TARGET_DIR    default /work/.presto-ci-target (a debug build, as the
#                       tests use: this suite counts lost writes, not speed)
#
# A benchmark, not a test: CI does not run this script.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/work/.presto-ci-target}
export PRESTO_TEST_POSTGRES_URL=${PRESTO_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
export FAULTS_LEARNERS=${FAULTS_LEARNERS:-50}
export FAULTS_OUTAGE_SECS=${FAULTS_OUTAGE_SECS:-10}
export CI=${CI:-true}

log=$(mktemp)
trap 'rm -f "$log"' EXIT
started=$(date +%s)
cargo test --locked --test platform -- \
  --test-threads=1 --nocapture faults:: email::an_smtp_outage >"$log" 2>&1 || {
  grep -E "panicked|FAILED|failures:" "$log" | head -20
  echo "a scenario failed; full output in $log" >&2
  trap - EXIT
  exit 1
}

echo "Fault suite: $FAULTS_LEARNERS learners, PostgreSQL down ${FAULTS_OUTAGE_SECS} s; $(nproc) cores; $(date -u +%F)"
echo
echo "| Scenario | Writes acknowledged | Refused with 503 | 500s | No answer (server gone) | Lost |"
echo "|---|---:|---:|---:|---:|---:|"
grep -o 'FAULTS |.*|' "$log" | sed 's/^FAULTS //'
echo
echo "($(( $(date +%s) - started )) s in all)"
