#!/usr/bin/env bash
# Every on/off switch in the usage text works without a value, wherever it stands.
# Usage: switches.sh FOLDBENCH_CLI
set -euo pipefail
cli="$1"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
"$cli" export --help > help.txt
grep -q "^usage: foldbench-cli" help.txt
"$cli" config init --preset sample > sample.json
"$cli" train --config sample.json --epochs 1 --db runs.db > train.log
id="$(sed -n 's/^run_id=//p' train.log)"
"$cli" runs compare "$id" "$id" --all-params --db runs.db > compare.txt
grep -q "model.family" compare.txt
test_file="$(sed -n 's#.*"test_path": "\(.*\)",#\1#p' sample.json)"
"$cli" export --run "$id" --test "$test_file" --out sub.csv --no-cache --db runs.db > export.log
"$cli" export --run "$id" --test "$test_file" --out sub.csv --force --no-cache --prior --db runs.db > export.log
test -s sub.csv
echo "switches work"
