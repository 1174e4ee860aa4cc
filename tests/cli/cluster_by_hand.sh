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
# A run prepared but not submitted (no slurm/jobs) is never settled as abandoned.
"$cli" cluster status --run "$dir" --db main.db > status-unsubmitted.log || { cat status-unsubmitted.log; fail "cluster status"; }
[ "$(status_of "$id")" = queued ] || fail "cluster status settled a run that was never submitted"
# Tasks run on other hosts: they never write the main tracker (SQLite cannot share a file between
# hosts); the run shows as running because its tasks' own databases appear in its folder.
tracker_before="$({ cat main.db; if [ -f main.db-wal ]; then cat main.db-wal; fi; } | sha256sum | cut -d' ' -f1)"
for k in 0 1 2 3 4; do
  SLURM_ARRAY_TASK_ID=$k SLURM_ARRAY_JOB_ID=900 "$cli" cluster fold --run "$dir" --db main.db > "fold-$k.log" \
    || { cat "fold-$k.log"; fail "fold task $k"; }
  [ -f "$dir/fold-$k.db" ] || fail "fold $k kept no database of its own"
  [ "$(status_of "$id")" = running ] || fail "not running while its folds train"
  if [ $k = 0 ]; then
    # Until its merge settles it, a cluster run's tasks may write its folder: no delete.
    "$cli" runs delete "$id" --with-files --db main.db > delete.log 2>&1 && fail "a cluster run with started tasks was deleted"
    grep -q "has fold tasks that started in its folder.*cluster merge --run $dir; then delete it" delete.log \
      || { cat delete.log; fail "the refused delete does not say why and what to do"; }
    [ -d "$dir" ] || fail "the refused delete removed the run folder"
  fi
done
[ "$({ cat main.db; if [ -f main.db-wal ]; then cat main.db-wal; fi; } | sha256sum | cut -d' ' -f1)" = "$tracker_before" ] || fail "a fold task wrote the main tracker"
"$cli" cluster status --run "$dir" --db main.db > status.log || { cat status.log; fail "cluster status"; }
[ "$(grep -c '^fold [0-4]: finished' status.log)" = 5 ] || { cat status.log; fail "cluster status does not show 5 finished folds"; }
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
"$cli" cluster merge --run "$dir2" --db main.db > lost-merge.log 2>&1 && fail "a merge without the run's data succeeded"
"$cli" cluster status --run "$dir2" --db main.db > lost-status.log
grep -q "^fold 0: failed: .*moved.tsv" lost-status.log || { cat lost-status.log; fail "cluster status does not show why fold 0 failed"; }
# The data back, but changed since the run was prepared: tasks and the merge refuse it, naming
# the file and both fingerprints; restored, the folds train and the merge names fold 0's failure.
head -n 200 "$sample_dir/train.tsv" > moved.tsv
"$cli" cluster fold --run "$dir2" --fold 1 --db main.db > changed.log 2>&1 && fail "a task trained on a changed file"
grep -q "moved.tsv changed since the run was prepared (fingerprint [0-9a-f]* then, [0-9a-f]* now)" changed.log \
  || { cat changed.log; fail "the refusal does not name the file and both fingerprints"; }
"$cli" cluster merge --run "$dir2" --db main.db > changed-merge.log 2>&1 && fail "a merge read a changed file"
grep -q "changed since the run was prepared" changed-merge.log || { cat changed-merge.log; fail "the merge's refusal"; }
[ "$(status_of "$id2")" = failed ] || fail "a merge that refused left the run $(status_of "$id2")"
"$cli" runs show "$id2" --db main.db | grep -q "^error merge: .*changed since the run was prepared" \
  || fail "the tracker does not say why the merge refused"
cp "$sample_dir/train.tsv" moved.tsv
for k in 1 2 3 4; do "$cli" cluster fold --run "$dir2" --fold $k --db main.db > /dev/null || fail "fold $k with the data back"; done
"$cli" cluster merge --run "$dir2" --db main.db > merge2.log 2>&1 && fail "a run with a failed fold merged as finished"
[ "$(status_of "$id2")" = failed ] || fail "a task without its data left the run $(status_of "$id2")"
"$cli" runs show "$id2" --db main.db > show2.txt
grep -q "^error fold 0: " show2.txt && grep -q "moved.tsv" show2.txt || { head -5 show2.txt; fail "the failure does not name the fold and the missing file"; }
echo "cluster commands work by hand"
