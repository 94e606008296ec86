#!/usr/bin/env bash
# The man page and completions generated from --help (scripts/gen-cli-docs.py)
# name every subcommand the binary has, and the completions work in the real
# shells: bash's function is called as bash-completion calls it, fish is asked
# with `complete -C`, zsh parses its file (zsh and fish are skipped when absent).
#   cli_docs_test.sh PROCTRACE DOCS_DIR
# DOCS_DIR holds proctrace.1, proctrace.bash, _proctrace and proctrace.fish.
# No `producer | grep -q` here: under pipefail the producer's SIGPIPE, when
# grep stops reading early, would fail the check at random.
set -euo pipefail
proctrace=$1
docs=$2
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

mapfile -t commands < <("$proctrace" --help | sed -n '/^Subcommands:/,$p' | awk 'NR > 1 && NF { print $1 }')
[ "${#commands[@]}" -ge 10 ] || { echo "FAIL: only ${#commands[@]} subcommands in --help"; exit 1; }

# bash: what the completion function offers for a command line ending in $cur.
bash_offers() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _proctrace; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$docs/proctrace.bash" "$@"
}
offered=$(bash_offers proctrace "")
for command in "${commands[@]}"; do
  grep -qx -- "$command" <<<"$offered" || fail "bash does not offer '$command'"
  grep -qF ".SS \"proctrace ${command//-/\\-} " "$docs/proctrace.1" || fail "the man page has no section for '$command'"
  grep -q "^    '$command:" "$docs/_proctrace" || fail "zsh does not offer '$command'"
  # Every subcommand's own options, as its --help lists them.
  options=$(bash_offers proctrace "$command" -)
  for option in $("$proctrace" "$command" --help | sed -n '/^Options:/,$p' | grep -oE '^  -[^ ]+' | tr ',' '\n' |
                  sed -E 's/^ +//; s/\{.*//'); do
    grep -qx -- "$option" <<<"$options" || fail "bash does not offer $command $option"
  done
done
# A build without the recorder has a `record` without options.
recorder=no
if grep -q -- "--backend" <<<"$("$proctrace" record --help)"; then recorder=yes; fi
if [ $recorder = yes ]; then
  [ "$(bash_offers proctrace record --report-)" = $'--report-dir\n--report-on' ] || fail "bash: record --report- gives $(bash_offers proctrace record --report-)"
  [ "$(bash_offers proctrace record --backend "")" = $'auto\nbpf\nstrace' ] || fail "bash: record --backend gives no backends"
fi
grep -qx bash <<<"$(bash_offers proctrace record -o out.jsonl -- bas)" || fail "bash: the recorded command is not completed as a command"

if command -v fish >/dev/null; then
  fish_offers() { fish --no-config -c "source $docs/proctrace.fish; complete -C '$1'" | cut -f1; }
  offered=$(fish_offers "proctrace ")
  for command in "${commands[@]}"; do
    grep -qx -- "$command" <<<"$offered" || fail "fish does not offer '$command'"
  done
  if [ $recorder = yes ]; then
    [ "$(fish_offers "proctrace record --backend ")" = $'auto\nbpf\nstrace' ] || fail "fish: record --backend gives no backends"
    grep -qx -- --report-dir <<<"$(fish_offers "proctrace record --report-")" || fail "fish: no --report-dir for record"
  fi
else
  echo "note: fish not installed; its completions were only checked by name"
  for command in "${commands[@]}"; do grep -q -- "-a $command " "$docs/proctrace.fish" || fail "fish does not offer '$command'"; done
fi
if command -v zsh >/dev/null; then
  zsh -n "$docs/_proctrace" || fail "zsh cannot parse _proctrace"
fi
# man renders it; groff's warnings (-ww) would show a roff escape gone wrong.
if command -v groff >/dev/null; then
  warnings=$(groff -man -Tutf8 -ww -z "$docs/proctrace.1" 2>&1) || true
  [ -z "$warnings" ] || fail "groff warns on the man page: $warnings"
fi
! command -v man >/dev/null || grep -q -- "--output" <<<"$(man -l "$docs/proctrace.1" 2>/dev/null)" || fail "man -l does not show the --output options"

[ "$failures" -eq 0 ] || { echo "$failures failures"; exit 1; }
echo "ok: ${#commands[@]} subcommands in the man page and the bash, zsh and fish completions"
