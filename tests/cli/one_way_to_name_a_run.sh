#!/usr/bin/env bash
# predict names a run as export and runs do: its folder, its number or its uid in --db.
# Usage: one_way_to_name_a_run.sh FOLDBENCH_CLI
set -euo pipefail
cli="$1"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }
"$cli" config init --preset sample > sample.json
"$cli" train --config sample.json --epochs 1 --db runs.db > train.log
id="$(sed -n 's/^run_id=//p' train.log)"
run_dir="$(sed -n 's#^summary=\(.*\)/summary.json$#\1#p' train.log)"
test_file="$(sed -n 's#.*"test_path": "\(.*\)",#\1#p' sample.json)"
"$cli" predict --run "$run_dir" --test "$test_file" --out by_dir.tsv > /dev/null 2>&1 || fail "predict by folder"
"$cli" predict --run "$id" --db runs.db --test "$test_file" --out by_uid.tsv > out.txt 2>&1 || { cat out.txt; fail "predict by uid"; }
"$cli" predict --run 1 --db runs.db --test "$test_file" --out by_number.tsv > out.txt 2>&1 || { cat out.txt; fail "predict by number"; }
cmp by_dir.tsv by_uid.tsv && cmp by_dir.tsv by_number.tsv || fail "the predictions differ"
echo "one way to name a run"
