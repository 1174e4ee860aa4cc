#!/usr/bin/env bash
# A new user's first steps, outside the source tree: write the sample config, train it, predict
# the test file with the run's folds.
# Usage: sample_from_any_directory.sh FOLDBENCH_CLI
set -euo pipefail
cli="$1"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
"$cli" config init --preset sample > sample.json
grep -q '"train_path": "/' sample.json || { echo "config init wrote a relative data path"; cat sample.json; exit 1; }
"$cli" train --config sample.json --epochs 1 --no-track > train.log
grep "^status" train.log
run_dir="$(sed -n 's#^summary=\(.*\)/summary.json$#\1#p' train.log)"
test_file="$(sed -n 's#.*"test_path": "\(.*\)",#\1#p' sample.json)"
"$cli" predict --run "$run_dir" --test "$test_file" --out predictions.tsv 2>/dev/null >/dev/null
rows=$(($(wc -l < predictions.tsv) - 1))
[ "$rows" -eq "$(wc -l < "$test_file")" ] || { echo "predict wrote $rows rows"; exit 1; }
# A second prediction of the same file reads no checkpoint (the run's cache answers), and agrees.
"$cli" predict --run "$run_dir" --test "$test_file" --out again.tsv 2>/dev/null | grep -q ", 0 read)"
cmp predictions.tsv again.tsv
# An older config with the source-tree relative paths works too.
sed -e 's#"[^"]*/resources/sample/#"resources/sample/#' sample.json > relative.json
"$cli" train --config relative.json --epochs 1 --no-track | grep -q '^status finished'
echo "sample trains and predicts from $scratch"
