#!/usr/bin/env bash
# data check's verdict gives advice that can help: --skip-bad only when bad rows are what stops
# the file and it was not given already; a missing file is said to be missing.
# Usage: data_check_advice.sh FOLDBENCH_CLI BAD_ROWS_TSV
set -euo pipefail
cli="$1"
bad_rows="$2"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }
verdict() { "$cli" data check "$@" > out.txt 2>&1 && fail "data check $* passed"; grep '^result' out.txt; }

result="$(verdict "$scratch/no-such-file.tsv")"
echo "$result" | grep -q "no-such-file.tsv does not exist" || { cat out.txt; fail "a missing file is not said to be missing"; }
echo "$result" | grep -q -- "--skip-bad" && fail "--skip-bad suggested for a missing file"

result="$(verdict "$bad_rows")"
echo "$result" | grep -q -- "pass --skip-bad" || { cat out.txt; fail "--skip-bad not suggested for bad rows"; }

printf 'garbage line\nmore garbage\n' > all_bad.tsv
result="$(verdict all_bad.tsv --skip-bad)"
echo "$result" | grep -q -- "--skip-bad" && fail "--skip-bad suggested when it was given: $result"

mkdir folder.tsv
result="$(verdict folder.tsv)"
echo "$result" | grep -q -- "--skip-bad" && fail "--skip-bad suggested for a problem with the whole file: $result"
echo "data check advice fits"
