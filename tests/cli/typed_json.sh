#!/usr/bin/env bash
# --format json is typed for scripts: numbers are numbers, sizes integers of bytes, tags arrays;
# runs compare's JSON holds the tests; runs show has --format json.
# Usage: typed_json.sh FOLDBENCH_CLI
set -euo pipefail
cli="$1"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }
"$cli" config init --preset sample > sample.json
"$cli" train --config sample.json --epochs 1 --db runs.db --tag a,b > train.log
id="$(sed -n 's/^run_id=//p' train.log)"
check() {  # check FILE JQ_EXPRESSION WHAT: the expression must be true
  jq -e "$2" "$1" > /dev/null || { cat "$1"; fail "$3"; }
}
"$cli" runs list --db runs.db --columns cv/val/acc/mean,size,params.train.lr --format json > list.json
check list.json '.[0].id | type == "number"' "runs list: id is not a number"
check list.json '.[0]["cv/val/acc/mean"] | type == "number"' "runs list: a metric is not a number"
check list.json '.[0].size | (type == "number" and . == floor and . > 1000)' "runs list: size is not an integer of bytes"
check list.json '.[0]["params.train.lr"] == 0.001' "runs list: params.train.lr is not the number 0.001"
check list.json '.[0].tags == ["a", "b"]' "runs list: tags are not an array"

"$cli" runs export "$id" --db runs.db --format json > series.json
check series.json '.[0].step | (type == "number" and . == floor)' "runs export: step is not an integer"
check series.json '.[0].epoch | type == "number"' "runs export: epoch is not a number"
check series.json '.[0].value | type == "number"' "runs export: value is not a number"

"$cli" runs compare "$id" "$id" --db runs.db --format json > compare.json
check compare.json '.tests | (type == "array" and length == 1)' "runs compare: no tests"
check compare.json '.tests[0].mcnemar.p_value | type == "number"' "runs compare: no McNemar p-value"
check compare.json '.fields | type == "array"' "runs compare: no fields"

"$cli" runs show "$id" --db runs.db --format json > show.json
check show.json ".uid == \"$id\" and (.id | type == \"number\")" "runs show: no uid or id"
check show.json '.folds | (type == "array" and length == 5) and (.[0].val_acc | type == "number")' "runs show: no folds"
check show.json '.fields["cv/val/acc/mean"] | type == "number"' "runs show: fields are not typed"
check show.json '.tags == ["a", "b"]' "runs show: tags are not an array"
echo "json is typed"
