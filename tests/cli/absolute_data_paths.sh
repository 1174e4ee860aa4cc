#!/usr/bin/env bash
# A run's config.json records its data files by absolute path, so it trains again from any
# folder, though the config it was started with named them relative to the working directory.
# Usage: absolute_data_paths.sh FOLDBENCH_CLI
set -euo pipefail
cli="$1"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }
"$cli" config init --preset sample > sample.json
mkdir data
for key in train_path test_path labels_path; do
  file="$(sed -n "s#.*\"$key\": \"\\(.*\\)\",#\\1#p" sample.json)"
  cp "$file" "data/$(basename "$file")"
  sed -i "s#\"$key\": \"[^\"]*\"#\"$key\": \"data/$(basename "$file")\"#" sample.json
done
grep -q '"train_path": "data/train.tsv"' sample.json || fail "could not make the paths relative"
"$cli" train --config sample.json --epochs 1 --db runs.db > train.log
run_dir="$(sed -n 's#^summary=\(.*\)/summary.json$#\1#p' train.log)"
for key in train_path test_path labels_path; do
  recorded="$(jq -r ".data.$key" "$run_dir/config.json")"
  [ "$recorded" = "$scratch/data/$(basename "$recorded")" ] || fail "$key recorded as '$recorded', not absolute"
done
echo "data paths are recorded absolute"
