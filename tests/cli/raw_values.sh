#!/usr/bin/env bash
# runs show prints values as a reader wants them: times as dates (sys/pruned_at), whole numbers
# without decimals (data/rows), and after a prune no longer lists the deleted checkpoints.
# Usage: raw_values.sh FOLDBENCH_CLI
set -euo pipefail
cli="$1"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }
"$cli" config init --preset sample > sample.json
"$cli" train --config sample.json --epochs 1 --db runs.db > train.log
id="$(sed -n 's/^run_id=//p' train.log)"
"$cli" runs show "$id" --db runs.db > before.txt
grep -q '\.pt\b' before.txt || { cat before.txt; fail "the checkpoints are not listed before the prune"; }
"$cli" runs prune "$id" --db runs.db > /dev/null
"$cli" runs show "$id" --db runs.db > show.txt
grep -Eq '^sys/pruned_at +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}' show.txt || { cat show.txt; fail "sys/pruned_at is not a date"; }
grep -Eq '^data/rows +[0-9]+ *$' show.txt || { cat show.txt; fail "data/rows is not a whole number"; }
grep -Eq '^cv/val/acc/mean +0\.[0-9]{4} *$' show.txt || { cat show.txt; fail "cv/val/acc/mean lost its decimals"; }
grep '\.pt\b' show.txt && fail "runs show lists deleted checkpoints"
grep -q "pruned" show.txt || fail "runs show does not say the checkpoints were pruned"
echo "raw values read well"
