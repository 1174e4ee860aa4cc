#!/usr/bin/env bash
# A sweep as a user runs it from the shell (issue 26): a learning-rate range that reaches rates
# far too small to learn, on the sample data. The bad trials must show as pruned in
# `sweep status`, with fewer fold trainings than a sweep without racing; the best trial's
# config trains again; the ensemble of the sweep writes a submission.
# Usage: sweep_prunes.sh FOLDBENCH_CLI
set -euo pipefail
cli="$1"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
"$cli" config init --preset sample --set model.family=ngram --set kfold.folds=3 --set train.epochs=3 --set train.min_lr=0 > base.json
test_file="$(sed -n 's#.*"test_path": "\(.*\)",#\1#p' base.json)"

# Refusals name the field.
"$cli" sweep create bad --config base.json --param train.seed --db runs.db > refused.txt 2>&1 && { echo "swept train.seed"; exit 1; }
grep -q "train.seed: changes which rows fall in which fold" refused.txt || { cat refused.txt; exit 1; }

"$cli" sweep create lr --config base.json --param train.lr=log:1e-7..0.05 --trials 6 --sampler quasi --db runs.db > create.txt
grep -q "train.lr *log 1e-07..0.05" create.txt || { cat create.txt; exit 1; }
"$cli" sweep run lr --db runs.db > run.txt
"$cli" sweep status lr --db runs.db > status.txt
cat status.txt
grep -Eq "^[0-9]+ +pruned +[0-9.e-]+ +2/3 .*worse than trial [0-9]+ on 2 folds" status.txt || { echo "no trial pruned after 2 folds"; exit 1; }
spent=$(sed -n 's/^fold trainings: \([0-9]*\), against \([0-9]*\).*/\1/p' status.txt)
full=$(sed -n 's/^fold trainings: \([0-9]*\), against \([0-9]*\).*/\2/p' status.txt)
[ "$spent" -lt "$full" ] || { echo "racing spent $spent of $full fold trainings"; exit 1; }
"$cli" sweep status lr --format json --db runs.db > status.json
grep -q '"status": "pruned"' status.json
"$cli" runs list --filter "status = pruned and sweep/name = lr" --format ids --db runs.db > pruned_runs.txt
[ -s pruned_runs.txt ] || { echo "the runs browser's filter finds no pruned trial"; exit 1; }

"$cli" sweep best lr --config-out best.json --db runs.db > best.txt
grep -q "wrote best.json" best.txt
"$cli" sweep best lr --config-out best.json --db runs.db > again.txt 2>&1 && { echo "best.json was overwritten"; exit 1; }
grep -q "exists" again.txt

"$cli" sweep ensemble lr --test "$test_file" --out submission.csv --top 3 --db runs.db > ensemble.txt
cat ensemble.txt
grep -q "cross-fitted (the honest estimate)" ensemble.txt
[ "$(wc -l < submission.csv)" -gt 1 ]
"$cli" sweep list --db runs.db | grep -q "^lr "
echo "sweep prunes visibly"
