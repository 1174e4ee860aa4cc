#!/usr/bin/env bash
# export reports its test prediction's progress (on stderr), as predict does, instead of
# staying silent while every fold checkpoint predicts.
# Usage: export_progress.sh FOLDBENCH_CLI
set -euo pipefail
cli="$1"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }
"$cli" config init --preset sample > sample.json
"$cli" train --config sample.json --epochs 1 --db runs.db > train.log
id="$(sed -n 's/^run_id=//p' train.log)"
test_file="$(sed -n 's#.*"test_path": "\(.*\)",#\1#p' sample.json)"
"$cli" export --run "$id" --test "$test_file" --out sub.csv --no-cache --db runs.db > out.txt 2> err.txt
grep -q "fold checkpoint 1 of 5" err.txt && grep -q "fold checkpoint 5 of 5" err.txt || { cat err.txt; fail "no progress on stderr"; }
grep -Eq "fold checkpoint [0-9]+ of" out.txt && fail "progress went to stdout"
echo "export shows progress"
