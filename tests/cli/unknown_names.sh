#!/usr/bin/env bash
# A misspelled field in --columns, --sort or --filter, or a status that does not exist, is an
# error with a suggestion (exit code not 0), not an empty column or an empty listing;
# --columns params.KEY prints the parameter.
# Usage: unknown_names.sh FOLDBENCH_CLI
set -euo pipefail
cli="$1"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }
"$cli" config init --preset sample > sample.json
"$cli" train --config sample.json --epochs 1 --db runs.db > train.log

refused() {
  local expected="$1"; shift
  if "$cli" runs list --db runs.db "$@" > out.txt 2> err.txt; then cat out.txt err.txt; fail "runs list $* succeeded"; fi
  grep -qF -- "$expected" err.txt || { cat err.txt; fail "runs list $*: no '$expected'"; }
}
refused "did you mean 'cv/val/acc/mean'?" --columns cv/val/acc/maen
refused "did you mean 'cv/val/acc/mean'?" --sort -cv/val/acc/maen
refused "did you mean 'params.train.lr'?" --columns params.train.lrr
refused "at character 10; did you mean 'finished'?" --filter "status = finsihed"
refused "unknown field 'foo' at character 1" --filter "foo = 1"
refused "did you mean 'cv/val/acc/mean'?" --filter "status = finished and cv/val/acc/means > 0.1"

"$cli" runs list --db runs.db --columns params.train.lr,size --format csv > out.csv
lr="$(sed -n 's/.*"lr": \([0-9.e-]*\).*/\1/p' sample.json | head -1)"
head -1 out.csv | grep -q "params.train.lr" || fail "no params.train.lr column"
[ "$(tail -1 out.csv | cut -d, -f6)" = "$lr" ] || { cat out.csv; fail "params.train.lr is not the run's $lr"; }
"$cli" runs list --db runs.db --filter "status = finished and params.model.family = transformer" --sort -cv/val/acc/mean > out.txt
grep -q finished out.txt || fail "a correct filter found nothing"
echo "unknown names are refused"
