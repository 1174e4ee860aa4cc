#!/usr/bin/env bash
# The cluster commands without a scheduler, as a user debugging a job would run them: prepare
# and queue, run each fold task (fold number from SLURM_ARRAY_TASK_ID), merge, then use the run.
# Usage: cluster_by_hand.sh FOLDBENCH_CLI
set -euo pipefail
cli="$1"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }
status_of() { "$cli" runs list --db main.db --format csv | awk -F, -v id="$1" '$2 == id {print $4}'; }

"$cli" cluster slurm --preset sample --epochs 1 --cpus 2 --partition short --db main.db --tag by-hand > slurm.log
id="$(sed -n 's/^run_id=//p' slurm.log)"
dir="$(sed -n 's/^run_dir=//p' slurm.log)"
[ "$dir" = "$scratch/runs/$id" ] || fail "run folder $dir is not beside the tracker"
[ "$(status_of "$id")" = queued ] || fail "not queued after cluster slurm"
grep -q '^#SBATCH --partition=short$' "$dir/slurm/folds.sbatch" || fail "partition"
grep -q '"threads": 2' "$dir/config.json" || fail "the tasks' thread count is not --cpus"
grep -q "\"train_path\": \"/" "$dir/config.json" || fail "the run's data path is not absolute"
for k in 0 1 2 3 4; do
  SLURM_ARRAY_TASK_ID=$k SLURM_ARRAY_JOB_ID=900 "$cli" cluster fold --run "$dir" --db main.db > "fold-$k.log" \
    || { cat "fold-$k.log"; fail "fold task $k"; }
  [ -f "$dir/fold-$k.db" ] || fail "fold $k kept no database of its own"
  [ "$(status_of "$id")" = running ] || fail "not running while its folds train"
done
"$cli" cluster merge --run "$dir" --db main.db > merge.log || { cat merge.log; fail "merge"; }
[ "$(status_of "$id")" = finished ] || fail "not finished after the merge"
"$cli" runs show "$id" --db main.db > show.txt
grep -q "host slurm job 900" show.txt || fail "the run does not name its job"
grep -q "45 series" show.txt || { cat show.txt; fail "the fold series were not merged"; }
# Merging again replaces what the first merge copied rather than adding to it.
"$cli" runs export "$id" --db main.db --format json > first.json
"$cli" cluster merge --run "$dir" --db main.db > /dev/null
"$cli" runs export "$id" --db main.db --format json > second.json
python3 - first.json second.json <<'PY'
import json, sys
first, second = (json.load(open(p)) for p in sys.argv[1:3])
keys = [(p["series"], p["step"]) for p in second]
assert len(keys) == len(set(keys)), "a second merge duplicated points"
assert len(second) == len(first) > 0, f"{len(first)} points after one merge, {len(second)} after two"
PY
test_file="$(sed -n 's#.*"test_path": "\(.*\)",#\1#p' "$dir/config.json")"
"$cli" predict --run "$dir" --test "$test_file" --out predictions.tsv > /dev/null 2>&1 || fail "the merged run does not predict"
# A task that cannot read the run's data fails the run with the reason.
sample_dir="$(dirname "$test_file")"
cp "$sample_dir/train.tsv" moved.tsv
"$cli" cluster slurm --preset sample --train moved.tsv --labels "$sample_dir/labels.tsv" --epochs 1 --db main.db > second.log
id2="$(sed -n 's/^run_id=//p' second.log)"
dir2="$(sed -n 's/^run_dir=//p' second.log)"
rm moved.tsv
"$cli" cluster fold --run "$dir2" --fold 0 --db main.db > lost.log 2>&1 && fail "a task without its data succeeded"
[ "$(status_of "$id2")" = failed ] || fail "a task without its data left the run $(status_of "$id2")"
"$cli" runs show "$id2" --db main.db > show2.txt
grep -q "^error fold 0: " show2.txt && grep -q "moved.tsv" show2.txt || { head -5 show2.txt; fail "the failure does not name the fold and the missing file"; }
echo "cluster commands work by hand"
