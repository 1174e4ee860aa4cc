#!/usr/bin/env bash
# export and predict refuse an existing output before computing anything, and name the flag
# that allows replacing it (--force).
# Usage: overwrite_refusals.sh FOLDBENCH_CLI
set -euo pipefail
cli="$1"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }
"$cli" config init --preset sample > sample.json
"$cli" train --config sample.json --epochs 1 --db runs.db > train.log
id="$(sed -n 's/^run_id=//p' train.log)"
run_dir="$(sed -n 's#^summary=\(.*\)/summary.json$#\1#p' train.log)"
test_file="$(sed -n 's#.*"test_path": "\(.*\)",#\1#p' sample.json)"
echo "keep me" > taken.csv

refused() {
  if "$cli" "$@" > out.txt 2>&1; then cat out.txt; fail "$* replaced an existing file"; fi
  grep -q "taken.csv exists; pass --force to replace it" out.txt || { cat out.txt; fail "$*: the refusal does not name --force"; }
  grep -qi "predicted\|out-of-fold" out.txt && { cat out.txt; fail "$*: computed before refusing"; }
  [ "$(cat taken.csv)" = "keep me" ] || fail "$*: the file was changed"
}
refused export --run "$id" --test "$test_file" --out taken.csv --db runs.db
refused export --run "$id" --test "$test_file" --out new.csv --probs taken.csv --db runs.db
[ ! -e new.csv ] || fail "export wrote its submission before refusing --probs"
refused predict --run "$run_dir" --test "$test_file" --out taken.csv
"$cli" export --run "$id" --test "$test_file" --out taken.csv --force --db runs.db > /dev/null
grep -q "keep me" taken.csv && fail "--force did not replace the file"
echo "overwrite refusals name --force"
