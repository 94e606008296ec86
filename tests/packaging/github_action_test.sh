#!/usr/bin/env bash
# The GitHub Action's run step (scripts/github-action.sh) run here with the
# variables a GitHub runner sets pointing into a temporary directory: for a
# failing command it passes the exit status through, leaves the report
# directory for the upload step, appends the summary to $GITHUB_STEP_SUMMARY
# with secrets masked and names the directory in $GITHUB_OUTPUT; for a
# passing one it leaves none of that (unless report-on is always). No network.
#   github_action_test.sh SOURCE_DIR PROCTRACE
set -uo pipefail
source_dir=$1
export PROCTRACE_BIN=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# A fresh runner: empty summary and output files exist, as GitHub creates them.
new_runner() {
  rm -rf "$tmp/runner" && mkdir -p "$tmp/runner/temp" "$tmp/runner/workspace"
  : >"$tmp/runner/summary.md"
  : >"$tmp/runner/output"
  export RUNNER_TEMP=$tmp/runner/temp GITHUB_WORKSPACE=$tmp/runner/workspace
  export GITHUB_STEP_SUMMARY=$tmp/runner/summary.md GITHUB_OUTPUT=$tmp/runner/output
  export GITHUB_ACTIONS=true CI=true
}
run_action() {
  (cd "$GITHUB_WORKSPACE" && PROCTRACE_COMMAND=$1 PROCTRACE_REPORT_ON=$2 PROCTRACE_ARGS=${3:-} \
     "$source_dir/scripts/github-action.sh") >"$tmp/action.log" 2>&1
}
report=$tmp/runner/temp/proctrace-report

# A failing job, with a token in an argv and a variable of the job's environment.
new_runner
JOB_SETTING=from-the-job run_action 'test "$JOB_SETTING" = from-the-job; echo built >built.txt; env API_TOKEN=hunter2 sh -c "exit 3"' failure "--backend bpf"
status=$?
[ "$status" = 3 ] || { fail "a command that exits 3 gave $status"; cat "$tmp/action.log"; }
[ -f "$GITHUB_WORKSPACE/built.txt" ] || fail "the command did not run in \$GITHUB_WORKSPACE with the job's environment"
for file in recording.jsonl report.html chart.mmd summary.md; do
  [ -s "$report/$file" ] || fail "the report directory has no $file"
done
grep -qx "exit-code=3" "$GITHUB_OUTPUT" || fail "GITHUB_OUTPUT has no exit-code=3: $(cat "$GITHUB_OUTPUT")"
grep -qx "report-dir=$report" "$GITHUB_OUTPUT" || fail "GITHUB_OUTPUT does not name the report directory"
[ -s "$GITHUB_STEP_SUMMARY" ] || fail "the job summary is empty"
# Appended whole (proctrace adds a blank line after it, for the next step's).
cmp -s -n "$(stat -c %s "$report/summary.md")" "$report/summary.md" "$GITHUB_STEP_SUMMARY" ||
  fail "the job summary does not hold summary.md"
grep -q '```mermaid' "$GITHUB_STEP_SUMMARY" || fail "the job summary has no mermaid chart"
grep -q 'exit 3' "$GITHUB_STEP_SUMMARY" || fail "the job summary does not show the failing command"
if grep -rq hunter2 "$report" "$GITHUB_STEP_SUMMARY"; then fail "the token is in the report or the job summary"; fi

# A passing job: status 0, no report, nothing in the job summary.
new_runner
run_action 'true' failure
status=$?
[ "$status" = 0 ] || { fail "a passing command gave $status"; cat "$tmp/action.log"; }
[ ! -e "$report" ] || fail "a passing command left a report directory"
[ ! -s "$GITHUB_STEP_SUMMARY" ] || fail "a passing command wrote a job summary"
grep -qx "exit-code=0" "$GITHUB_OUTPUT" || fail "GITHUB_OUTPUT has no exit-code=0"
if grep -q "^report-dir=" "$GITHUB_OUTPUT"; then fail "GITHUB_OUTPUT names a report directory for a passing job"; fi

# report-on: always writes the report for a passing job too.
new_runner
run_action 'true' always
status=$?
[ "$status" = 0 ] || fail "report-on always: a passing command gave $status"
[ -s "$report/summary.md" ] || fail "report-on always wrote no summary.md"
[ -s "$GITHUB_STEP_SUMMARY" ] || fail "report-on always wrote no job summary"

# A wrong input is an error annotation and status 2, and runs nothing.
new_runner
run_action 'touch ran' sometimes
status=$?
[ "$status" = 2 ] || fail "report-on sometimes gave $status"
grep -q "^::error" "$tmp/action.log" || fail "no ::error annotation for a bad report-on"
[ ! -e "$GITHUB_WORKSPACE/ran" ] || fail "the command ran despite a bad input"

# On GitHub's hosted runners the job runs as the user `runner`, and the script
# records under sudo. As the record tests do, sudo is simulated by the
# variables it sets (SUDO_UID, SUDO_GID, SUDO_USER) for a throw-away user who
# owns the runner's directories: the command runs as that user, and the report
# and the job summary are written as that user.
if [ "$(id -u)" = 0 ] && command -v useradd >/dev/null; then
  user=ptact$(($$ % 100000))
  userdel "$user" 2>/dev/null || true  # a leftover of a killed run
  if useradd -M -U -d /nonexistent -s /bin/sh "$user" 2>"$tmp/useradd.log"; then
    trap 'userdel "$user" 2>/dev/null; rm -rf "$tmp"' EXIT
    new_runner
    chmod 711 "$tmp"
    chown -R "$user:" "$tmp/runner"
    SUDO_UID=$(id -u "$user") SUDO_GID=$(id -g "$user") SUDO_USER=$user \
      run_action 'id -un >whoami.txt; exit 5' failure
    status=$?
    [ "$status" = 5 ] || { fail "under sudo: a command that exits 5 gave $status"; cat "$tmp/action.log"; }
    [ "$(cat "$GITHUB_WORKSPACE/whoami.txt" 2>/dev/null)" = "$user" ] || fail "under sudo: the command did not run as $user"
    for file in "$GITHUB_WORKSPACE/whoami.txt" "$report" "$report/summary.md" "$report/recording.jsonl"; do
      [ "$(stat -c %U "$file" 2>/dev/null)" = "$user" ] || fail "under sudo: $file is not $user's"
    done
    grep -q 'exit 5' "$GITHUB_STEP_SUMMARY" || fail "under sudo: the job summary was not written"
  else
    echo "note: useradd failed, the sudo case was not run: $(cat "$tmp/useradd.log")"
  fi
fi

[ "$failures" -eq 0 ] || { echo "$failures failures"; exit 1; }
echo "ok: the action's run step passes statuses through and writes the report and the job summary"
