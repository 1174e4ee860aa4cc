#!/usr/bin/env bash
# model inspect and model embed on each fixture folder (scripts/pretrained_fixtures/make_models.py):
# --ids gives the reference tokenizer's ids, the hidden states are within 5e-5 of the reference
# forward's, a text longer than the model takes is truncated and said so, an existing --out is
# refused, and a broken folder or input is an error naming the file.
# Usage: model_embed.sh FOLDBENCH_CLI MODELS_DIR
set -euo pipefail
cli="$1"
models="$2"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }

for folder in "$models"/*/; do
  name="$(basename "$folder")"
  "$cli" model inspect "$folder" > inspect.txt || { cat inspect.txt; fail "$name: inspect failed"; }
  grep -q "^model        $(sed -n 's/.*"model_type": "\(.*\)".*/\1/p' "$folder/config.json")," inspect.txt \
    || { cat inspect.txt; fail "$name: inspect does not name the model type"; }
  "$cli" model inspect "$folder" --format json > inspect.json
  grep -q '"parameters": [0-9]' inspect.json || fail "$name: inspect json has no parameter count"

  "$cli" model embed "$folder" --input "$folder/embed_input.txt" --out ids.tsv --ids 2> ids.err
  cmp -s ids.tsv "$folder/embed_ids.tsv" || { diff ids.tsv "$folder/embed_ids.tsv" | head; fail "$name: ids differ"; }
  grep -q "1 of $(wc -l < "$folder/embed_input.txt") texts were longer than the model's" ids.err \
    || { cat ids.err; fail "$name: the truncated text is not reported"; }

  "$cli" model embed "$folder" --input "$folder/embed_input.txt" --out states.tsv --batch-size 3 2> states.err
  paste states.tsv "$folder/embed_expected.tsv" | awk -F'\t' -v name="$name" '
    { n = NF / 2; if (n != int(n) || n < 2) { print name ": line " NR " has " NF " fields"; bad = 1; exit }
      for (i = 1; i <= n; ++i) { d = $i - $(i + n); if (d < 0) d = -d; if (d > worst) worst = d } }
    END { if (bad) exit 1; if (NR == 0) { print name ": no output"; exit 1 }
          if (worst > 5e-5) { print name ": largest difference " worst; exit 1 } }' \
    || fail "$name: hidden states differ from the reference"
  rm -f ids.tsv states.tsv
done

# An existing --out is refused without --force, and kept.
folder="$models/bert-wordpiece"
echo keep > out.tsv
if "$cli" model embed "$folder" --input "$folder/embed_input.txt" --out out.tsv 2> refused.err; then
  fail "an existing --out was replaced"
fi
grep -q "out.tsv exists; pass --force to replace it" refused.err || { cat refused.err; fail "no --force hint"; }
[ "$(cat out.tsv)" = keep ] || fail "the refused --out was changed"

# Invalid UTF-8 names the file and line.
printf 'good line\nbad \xff line\n' > bad.txt
if "$cli" model embed "$folder" --input bad.txt --out bad.tsv 2> bad.err; then fail "invalid UTF-8 accepted"; fi
grep -q "bad.txt:2: invalid UTF-8" bad.err || { cat bad.err; fail "invalid UTF-8 not located"; }

# A folder without config.json, and a shape that disagrees with the config.
mkdir empty
if "$cli" model inspect empty 2> empty.err; then fail "an empty folder was inspected"; fi
grep -q "empty: no config.json" empty.err || { cat empty.err; fail "no config.json not said"; }
cp -r "$folder" broken
sed -i 's/"intermediate_size": 64/"intermediate_size": 60/' broken/config.json
if "$cli" model embed broken --input "$folder/embed_input.txt" --out x.tsv 2> broken.err; then fail "broken folder used"; fi
grep -q "has shape \[64\], but config.json implies \[60\]" broken.err || { cat broken.err; fail "shape not named"; }
[ ! -e x.tsv ] || fail "an output was written for a broken folder"
echo "model inspect and embed match the reference"
