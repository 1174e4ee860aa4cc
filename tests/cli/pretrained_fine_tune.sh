#!/usr/bin/env bash
# The klue-re-mbert preset from the command line with a tiny generated model folder and the sample
# data: config init names what to set, train fine-tunes 2 folds past the majority class, the run is
# tracked with its model folder, its checkpoints are stored in bf16, and predict and export reload
# them.
# Usage: pretrained_fine_tune.sh FOLDBENCH_CLI MODEL_FOLDER
set -euo pipefail
cli="$1"
model="$2"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }
"$cli" config init --preset sample > sample.json
sample="$(dirname "$(jq -r .data.train_path sample.json)")"

# Without a model folder the config check names the field and what to put there.
"$cli" config init --preset klue-re-mbert --set data.train_path="$sample/train.tsv" > unset.json
if "$cli" train --config unset.json --db runs.db > unset.log 2>&1; then fail "trained without a model folder"; fi
grep -q "model.pretrained_path: not set: put a Hugging Face model folder there" unset.log \
  || { cat unset.log; fail "the missing model folder is not named"; }

"$cli" config init --preset klue-re-mbert --set model.pretrained_path="$model" \
  --set data.train_path="$sample/train.tsv" --set data.labels_path="$sample/labels.tsv" \
  --set kfold.folds=2 --set train.epochs=12 --set train.lr=0.005 --set input.format=markers \
  --set model.pooling=entity --set input.max_len=40 --set train.checkpoint_precision=bf16 > run.json
"$cli" train --config run.json --db runs.db --tag tiny > train.log 2>&1 || { tail -20 train.log; fail "train failed"; }
run_dir="$(sed -n 's#^summary=\(.*\)/summary.json$#\1#p' train.log)"
id="$(sed -n 's#^run_id=##p' train.log)"
[ -f "$run_dir/pretrained/config.json" ] || fail "the run did not keep the model's config.json"
[ ! -e "$run_dir/pretrained/model.safetensors" ] || fail "the run copied the model's weights"
accuracy="$(jq -r '.["cv.oof_acc"] // .cv.oof_acc' "$run_dir/summary.json")"
majority="$(cut -f9 "$sample/train.tsv" | sort | uniq -c | sort -rn | awk 'NR==1 {m=$1} {n+=$1} END {print m/n}')"
awk -v a="$accuracy" -v m="$majority" 'BEGIN { exit !(a > m + 0.1) }' \
  || fail "out-of-fold accuracy $accuracy does not beat the majority class share $majority"

"$cli" runs list --db runs.db --filter "params.model.family = pretrained and tag = tiny" --format ids > ids.txt
grep -qx "$id" ids.txt || fail "the run is not tracked as a pretrained run"
"$cli" predict --run "$id" --db runs.db --test "$sample/test.tsv" --out probs.tsv 2> predict.err \
  || { cat predict.err; fail "predict failed"; }
[ "$(tail -n +2 probs.tsv | wc -l)" -eq "$(wc -l < "$sample/test.tsv")" ] || fail "predict wrote the wrong row count"
"$cli" export --run "$id" --db runs.db --test "$sample/test.tsv" --out submission.csv > export.log 2>&1 \
  || { tail export.log; fail "export failed"; }
[ -s submission.csv ] || fail "no submission"
echo "the tiny pretrained model fine-tunes from the command line"
