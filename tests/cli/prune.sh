#!/usr/bin/env bash
# Reclaiming space as a user would: see sizes, dry-run a prune, prune, and find the run still
# browsable and comparable but refusing, clearly, to predict.
# Usage: prune.sh FOLDBENCH_CLI
set -euo pipefail
cli="$1"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
"$cli" config init --preset sample > sample.json
"$cli" train --config sample.json --epochs 1 --db runs.db > train.log
id="$(sed -n 's/^run_id=//p' train.log)"
run_dir="$(sed -n 's#^summary=\(.*\)/summary.json$#\1#p' train.log)"
test_file="$(sed -n 's#.*"test_path": "\(.*\)",#\1#p' sample.json)"
"$cli" runs list --columns size --format csv --db runs.db > sizes.csv
grep -Eq ",[0-9.]+ (KB|MB)," sizes.csv || { echo "no size column"; cat sizes.csv; exit 1; }

checkpoint_bytes=$(find "$run_dir" -name '*.pt' -printf '%s\n' | awk '{s += $1} END {print s}')
"$cli" runs prune "$id" --dry-run --db runs.db > dry.txt
grep -q "would free .* ($checkpoint_bytes bytes) from 1 run" dry.txt || { echo "dry run:"; cat dry.txt; exit 1; }
[ "$(find "$run_dir" -name '*.pt' | wc -l)" -eq 5 ] || { echo "the dry run deleted files"; exit 1; }
"$cli" runs prune --db runs.db > refused.txt 2>&1 && { echo "prune without a selection ran"; exit 1; }
grep -q "never prunes every run" refused.txt

before=$(du -sb "$run_dir" | cut -f1)
"$cli" runs prune "$id" --db runs.db > pruned.txt
grep -q "freed .* ($checkpoint_bytes bytes) from 1 run" pruned.txt || { cat pruned.txt; exit 1; }
after=$(du -sb "$run_dir" | cut -f1)
note_bytes=$(stat -c %s "$run_dir/PRUNED")
[ $((before - after + note_bytes)) -eq "$checkpoint_bytes" ] || { echo "freed $((before - after)), reported $checkpoint_bytes"; exit 1; }
[ -z "$(find "$run_dir" -name '*.pt')" ]

"$cli" runs show "$id" --db runs.db > show.txt
grep -q "sys/pruned_bytes" show.txt
"$cli" runs compare "$id" "$id" --db runs.db > compare.txt
if "$cli" predict --run "$run_dir" --test "$test_file" --out p.tsv > predict.txt 2>&1; then
  echo "a pruned run predicted"; exit 1
fi
grep -q "was pruned" predict.txt || { cat predict.txt; exit 1; }
echo "prune frees what it reports"
