#!/usr/bin/env bash
# The run step of the GitHub Action (action.yml): runs the workflow's command
# under `proctrace record --report-dir`, so a failed command leaves its
# recording, report.html, chart.mmd and summary.md in $RUNNER_TEMP/proctrace-report
# and its summary in the job summary ($GITHUB_STEP_SUMMARY). The command's exit
# status passes through. A plain script so it runs outside GitHub too: the
# test (tests/packaging/github_action_test.sh) sets the variables GitHub sets.
#
# Input, from the environment (action.yml maps its inputs here; never
# interpolated into code, so a command cannot inject into this script):
#   PROCTRACE_COMMAND    the command, run as `bash -eo pipefail -c` like a run: step
#   PROCTRACE_REPORT_ON  failure (default) or always
#   PROCTRACE_ARGS       more `proctrace record` options, split on spaces
#   PROCTRACE_BIN        the proctrace to run (default: the one on PATH)
#   PROCTRACE_SUDO       auto (default): not root, and sudo works without a
#                        password: record under sudo (the command still runs as
#                        you, with your environment); never: do not
# Output: exit-code, recording and (when written) report-dir in $GITHUB_OUTPUT.
set -uo pipefail

error() { echo "::error title=proctrace::$*"; exit 2; }

command=${PROCTRACE_COMMAND:-}
[ -n "$command" ] || error "the 'command' input is empty"
report_on=${PROCTRACE_REPORT_ON:-failure}
case $report_on in failure | always) ;; *) error "report-on must be failure or always, not '$report_on'" ;; esac
temp=${RUNNER_TEMP:-}
[ -d "$temp" ] || error "RUNNER_TEMP is not a directory: run this as a step of a GitHub Actions job"
binary=${PROCTRACE_BIN:-$(command -v proctrace)} || error "no proctrace on PATH; give PROCTRACE_BIN"
[ -x "$binary" ] || error "$binary is not an executable"
read -r -a extra_args <<<"${PROCTRACE_ARGS:-}"

report_dir=$temp/proctrace-report
recording=$temp/proctrace-recording.jsonl
# A second use of the action in one job must not upload the first one's report.
rm -rf -- "$report_dir" "$recording"

runner=()
if [ "$(id -u)" != 0 ] && [ "${PROCTRACE_SUDO:-auto}" = auto ] && sudo -n true 2>/dev/null; then
  # Loading eBPF needs root; record runs the command as $SUDO_USER again. -E and
  # PATH: the command sees the job's environment, not sudo's reset one.
  runner=(sudo -n -E env "PATH=$PATH")
fi

"${runner[@]}" "$binary" record --report-dir "$report_dir" --report-on "$report_on" -o "$recording" \
  "${extra_args[@]}" -- bash -eo pipefail -c "$command"
status=$?

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "exit-code=$status"
    echo "recording=$recording"
    if [ -d "$report_dir" ]; then echo "report-dir=$report_dir"; fi
  } >>"$GITHUB_OUTPUT"
fi
if [ -d "$report_dir" ]; then
  echo "proctrace: the report is in $report_dir"
fi
exit "$status"
