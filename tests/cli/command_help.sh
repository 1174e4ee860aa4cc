#!/usr/bin/env bash
# Every command has its own --help; a usage error is one line and a pointer to that help; a
# command group alone ("foldbench-cli runs") lists its commands.
# Usage: command_help.sh FOLDBENCH_CLI
set -euo pipefail
cli="$1"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }

commands=("data check" "data split" "data sample" "config init" "config docs" "train" "cluster slurm"
          "cluster fold" "cluster merge" "cluster queue" "cluster status" "predict" "runs list" "runs show"
          "runs compare" "runs export" "runs import" "runs delete" "runs tag" "runs note" "runs rename" "runs prune"
          "export" "version" "doctor")
for command in "${commands[@]}"; do
  # shellcheck disable=SC2086
  $cli $command --help > help.txt 2>&1 || fail "$command --help exited $?"
  grep -q "^usage: foldbench-cli .*$command" help.txt || { cat help.txt; fail "$command --help is not its own usage"; }
  lines="$(wc -l < help.txt)"
  [ "$lines" -le 12 ] || { cat help.txt; fail "$command --help prints $lines lines, not its own help"; }
done
"$cli" train --help > help.txt
grep -q "data split" help.txt && fail "train --help shows other commands"
"$cli" runs list --help > help.txt
grep -q "runs prune" help.txt && fail "runs list --help shows other commands"
"$cli" --help > help.txt
grep -q "^  runs prune" help.txt || fail "the full usage lost a command"

# A usage error: the error, then where the help is; not the whole usage.
usage_error() {
  local expected_topic="$1"; shift
  if "$cli" "$@" > out.txt 2> err.txt; then fail "$* succeeded"; else rc=$?; fi
  [ "$rc" -eq 2 ] || fail "$* exited $rc, not 2"
  [ "$(wc -l < err.txt)" -le 2 ] || { cat err.txt; fail "$*: the usage error is $(wc -l < err.txt) lines"; }
  grep -q "see 'foldbench-cli ${expected_topic}--help'" err.txt || { cat err.txt; fail "$*: no pointer to the help"; }
}
usage_error "runs list " runs list --format
usage_error "runs list " runs list --bogus 1
usage_error "runs compare " runs compare 1
usage_error "train " train --no-such-option 3
usage_error "" no-such-command

# A group alone lists its commands (like a missing command, it is a usage error).
if "$cli" runs > out.txt 2> err.txt; then fail "runs alone succeeded"; fi
grep -q "runs list" err.txt && grep -q "runs prune" err.txt || { cat err.txt; fail "runs alone does not list its commands"; }
grep -q "data split" err.txt && fail "runs alone lists other commands"
"$cli" runs --help > out.txt
grep -q "runs show" out.txt || fail "runs --help does not list the runs commands"
echo "every command has its own help"
