#!/usr/bin/env bash
# A development holdout: data split holds out the same stratified rows on every call, training
# uses the rest, and exporting to the labelled holdout scores the ensemble on it.
# Usage: holdout.sh FOLDBENCH_CLI SAMPLE_DIR
set -euo pipefail
cli="$1"
sample="$2"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }

"$cli" data split "$sample/train.tsv" --labels "$sample/labels.tsv" --ratio 0.2 --out split > split.log
cat split.log
[ "$(wc -l < split/holdout.tsv)" -eq 96 ] || fail "holdout rows: $(wc -l < split/holdout.tsv), want 96 of 480"
[ "$(wc -l < split/train.tsv)" -eq 384 ] || fail "training rows"
"$cli" data split "$sample/train.tsv" --labels "$sample/labels.tsv" --ratio 0.2 --out split 2> refused.txt \
  && fail "data split replaced its files without --force"
grep -q "exists; pass --force" refused.txt || fail "the refusal does not say why"
"$cli" data split "$sample/train.tsv" --labels "$sample/labels.tsv" --ratio 0.2 --out again > /dev/null
cmp split/holdout.tsv again/holdout.tsv || fail "the same seed held out other rows"
"$cli" data split "$sample/train.tsv" --labels "$sample/labels.tsv" --ratio 0.2 --seed 7 --out other > /dev/null
cmp -s split/holdout.tsv other/holdout.tsv && fail "another seed held out the same rows"
# Stratified: every label's share of the holdout is within one row of 20%.
awk -F'\t' 'NR == FNR {all[$9]++; next} {held[$9]++}
            END {for (l in all) if (held[l] < int(all[l] * 0.2) - 1 || held[l] > all[l] * 0.2 + 1) {print "label " l ": " held[l] " of " all[l]; bad = 1}; exit bad}' \
  "$sample/train.tsv" split/holdout.tsv || fail "the holdout is not stratified"
# No row is in both parts.
[ -z "$(comm -12 <(cut -f1 split/train.tsv | sort) <(cut -f1 split/holdout.tsv | sort))" ] || fail "rows in both parts"

"$cli" train --preset sample --train split/train.tsv --labels split/labels.tsv --epochs 3 --db h.db > train.log
id="$(sed -n 's/^run_id=//p' train.log)"
"$cli" export --run "$id" --test split/holdout.tsv --out holdout.csv --db h.db > export.log
grep -E "the test file is labelled: ensemble accuracy [01]\.[0-9]{4}, micro-F1 [01]\.[0-9]{4} on its 96 rows" export.log \
  || { cat export.log; fail "the labelled holdout was not scored"; }
# The printed accuracy is the share of holdout rows the written submission gets right.
python3 - split/holdout.tsv holdout.csv export.log <<'PY'
import csv, re, sys
gold = [row[8] for row in csv.reader(open(sys.argv[1], encoding="utf-8"), delimiter="\t")]
labels = {}
for line in open("split/labels.tsv", encoding="utf-8"):
    name, i = line.rstrip("\n").split("\t")
    labels[int(i)] = name
pred = [labels[int(r["pred"])] for r in csv.DictReader(open(sys.argv[2], encoding="utf-8"))]
printed = float(re.search(r"ensemble accuracy ([0-9.]+)", open(sys.argv[3]).read()).group(1))
actual = sum(g == p for g, p in zip(gold, pred)) / len(gold)
assert len(gold) == len(pred) == 96, (len(gold), len(pred))
assert abs(actual - printed) < 1e-4, f"printed {printed}, the file scores {actual}"
print(f"holdout accuracy {actual:.4f} matches the submission")
PY
"$cli" export --run "$id" --test "$sample/test.tsv" --out blind.csv --db h.db > blind.log
grep -q "test file is labelled" blind.log && fail "a blind test file was scored"
echo "holdout works"
