#!/usr/bin/env bash
# data check's --format is its report's format, as --format is everywhere else (table|json); the
# data file's format is --data-format (as the config's data.format). The old spelling of an input
# format (--format tsv) is refused pointing to --data-format, never taken as something else.
# Usage: data_check_format.sh FOLDBENCH_CLI
set -euo pipefail
cli="$1"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }
"$cli" config init --preset sample > sample.json
train="$(sed -n 's#.*"train_path": "\(.*\)",#\1#p' sample.json)"
labels="$(sed -n 's#.*"labels_path": "\(.*\)",#\1#p' sample.json)"
[ -f "$train" ] && [ -f "$labels" ] || fail "no sample paths in sample.json"

# --format json on a TSV file: the report as JSON, the file read as what it is.
"$cli" data check "$train" --labels "$labels" --format json > report.json 2> report.err \
  || { cat report.json report.err; fail "data check --format json failed on a good TSV file"; }
python3 - report.json <<'PY' || fail "the JSON report is not the table's figures"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["usable"] is True, r
assert r["rows"] == 480 and r["problem_count"] == 0, (r["rows"], r["problem_count"])
assert len(r["labels"]) == 8 and sum(l["rows"] for l in r["labels"]) == 480
assert isinstance(r["labels"][0]["id"], int) and r["label_ids"] == "from --labels"
assert len(r["repairs"]) == 3 and r["repairs"][0]["field"] in ("subject", "object")
assert r["input_tokens"]["max"] >= r["input_tokens"]["min"] > 0 and r["input_format"] == "markers"
assert r["tokenizer"]["vocab_size"] > 0
PY
# The table says the same.
"$cli" data check "$train" --labels "$labels" > table.txt 2> /dev/null
grep -q "^rows  *480$" table.txt && grep -q "^repairs  *3 " table.txt && grep -q "^result  *usable" table.txt \
  || { cat table.txt; fail "the table report"; }
"$cli" data check "$train" --labels "$labels" --format table > table2.txt 2> /dev/null
cmp -s table.txt table2.txt || fail "--format table differs from the default"

# The data file's format by its own name.
"$cli" data check "$train" --labels "$labels" --data-format tsv > tsv.txt 2> /dev/null || { cat tsv.txt; fail "--data-format tsv"; }
"$cli" data check "$train" --data-format json --format json > wrong.json 2> /dev/null && fail "a TSV file read as JSON passed"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["usable"] is False and r["error"], r' wrong.json \
  || { cat wrong.json; fail "an unusable file's JSON report"; }
"$cli" data check missing.tsv --format json > missing.json 2> /dev/null && fail "a missing file passed"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert "does not exist" in r["error"], r' missing.json \
  || { cat missing.json; fail "a missing file's JSON report"; }

# The old spelling of an input format is refused, naming the new option; nothing is read.
for f in tsv csv auto; do
  "$cli" data check "$train" --format "$f" > old.txt 2>&1 && { cat old.txt; fail "--format $f was accepted"; }
  grep -q -- "--data-format $f" old.txt || { cat old.txt; fail "--format $f does not point to --data-format"; }
done
"$cli" data check "$train" --format xml > bad.txt 2>&1 && fail "--format xml was accepted"
grep -q "table or json" bad.txt || { cat bad.txt; fail "--format xml does not say what --format takes"; }
# Where --format never was an output format, an input format given as --format points the same way.
"$cli" data split "$train" --labels "$labels" --out dev --format tsv > split.txt 2>&1 && fail "data split --format was accepted"
grep -q -- "--data-format" split.txt || { cat split.txt; fail "data split --format does not point to --data-format"; }
"$cli" data split "$train" --labels "$labels" --out dev --data-format tsv > /dev/null || fail "data split --data-format"
"$cli" predict --run no-run --test "$train" --out p.tsv --format tsv > predict.txt 2>&1 && fail "predict --format was accepted"
grep -q -- "--data-format" predict.txt || { cat predict.txt; fail "predict --format does not point to --data-format"; }
# Every command's help names the options as they are.
"$cli" data check --help | grep -q -- "--data-format auto|tsv|json|csv" || fail "data check --help"
"$cli" data check --help | grep -q -- "--format table|json" || fail "data check --help names no report format"
echo "data check formats are distinct"
