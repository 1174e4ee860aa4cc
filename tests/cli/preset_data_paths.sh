#!/usr/bin/env bash
# The klue presets ship without data paths (the competition's files are the user's, and a path
# beside a development checkout exists nowhere else): training says which field to set, by the
# name the config spells it. config init --set FIELD=VALUE sets it without editing JSON, checked
# like a config file's value, an unknown field refused with the nearest name.
# Usage: preset_data_paths.sh FOLDBENCH_CLI
set -euo pipefail
cli="$1"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }
field() { python3 -c 'import json,sys; s,k=sys.argv[2].split("."); print(json.load(open(sys.argv[1]))[s][k])' "$@"; }

for preset in klue-re-scratch klue-re-best; do
  "$cli" config init --preset "$preset" > "$preset.json"
  for key in data.train_path data.test_path data.labels_path; do
    [ -z "$(field "$preset.json" "$key")" ] || fail "$preset ships $key = $(field "$preset.json" "$key")"
  done
  # As the README's user met it: the config as printed, trained.
  "$cli" train --config "$preset.json" > train.log 2>&1 && fail "$preset trained without data"
  grep -q "^  data.train_path: not set: put the path of your training file there" train.log \
    || { cat train.log; fail "$preset: the refusal does not name data.train_path"; }
  grep -q "shared" train.log && { cat train.log; fail "$preset: the refusal names a development folder"; }
  "$cli" train --preset "$preset" > preset.log 2>&1 && fail "train --preset $preset trained without data"
  grep -q "data.train_path: not set.*or pass --train FILE" preset.log || { cat preset.log; fail "train --preset $preset"; }
done

# --set: the data without editing JSON, relative paths made absolute.
"$cli" data sample --out sample > /dev/null
"$cli" config init --preset klue-re-best --set data.train_path=sample/train.tsv --set data.labels_path=sample/labels.tsv \
  --set kfold.folds=2 --set train.epochs=1 --set model.ngram_buckets_log2=12 --set model.ngram_context=false > run.json
[ "$(field run.json data.train_path)" = "$scratch/sample/train.tsv" ] || fail "train_path is $(field run.json data.train_path)"
[ "$(field run.json data.labels_path)" = "$scratch/sample/labels.tsv" ] || fail "labels_path"
[ "$(field run.json kfold.folds)" = 2 ] && [ "$(field run.json model.ngram_context)" = False ] || fail "typed values"
"$cli" train --config run.json --db t.db > run.log 2> run.err || { cat run.log run.err; fail "the preset with --set data did not train"; }
grep -q "^status finished" run.log || fail "not finished"
grep -q "note: data.labels_path" run.err && fail "a note on labels although they are set"
# Without a label map, training says what its ids are.
"$cli" train --config run.json --db t.db --no-track --labels "" > nolabels.log 2> nolabels.err || { cat nolabels.err; fail "no labels"; }
grep -q "note: data.labels_path is not set, so the label ids are numbered alphabetically" nolabels.err \
  || { cat nolabels.err; fail "no note on the label ids"; }
# A path that is not there is named by its field.
"$cli" config init --preset klue-re-best --set data.train_path=sample/train.tsv --set data.labels_path=missing/labels.tsv > missing.json
"$cli" train --config missing.json > missing.log 2>&1 && fail "trained with a missing label map"
grep -q "data.labels_path: no such file: $scratch/missing/labels.tsv" missing.log || { cat missing.log; fail "the missing file"; }

# Unknown fields and bad values are refused, naming them.
expect_refusal() {  # TEXT ARGS...
  local text="$1"; shift
  "$cli" config init --preset klue-re-best "$@" > refusal.log 2>&1 && fail "config init $* succeeded"
  grep -q -- "$text" refusal.log || { cat refusal.log; fail "config init $*: no '$text'"; }
}
expect_refusal "unknown config field 'data.train_pth'; did you mean 'data.train_path'?" --set data.train_pth=x
expect_refusal "train.epochs: must be within 1..1000, got 0" --set train.epochs=0
expect_refusal "kfold.folds: expected an integer, got 'two'" --set kfold.folds=two
expect_refusal "model.ngram_context: expected true or false, got 'yes'" --set model.ngram_context=yes
expect_refusal "input.format: must be one of" --set input.format=bold
expect_refusal "--set needs FIELD=VALUE" --set data.train_path
"$cli" config init --help | grep -q -- "--set FIELD=VALUE" || fail "config init --help does not name --set"
echo "preset data paths are the user's"
