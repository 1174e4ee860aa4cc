#!/usr/bin/env bash
# runs delete without --with-files says that the run's folder stays, where it is and how big,
# and how to remove it with the record next time; with --with-files the folder goes.
# Usage: delete_says_what_stays.sh FOLDBENCH_CLI
set -euo pipefail
cli="$1"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }
"$cli" config init --preset sample > sample.json
"$cli" train --config sample.json --epochs 1 --db runs.db > first.log
"$cli" train --config sample.json --epochs 1 --db runs.db > second.log
first="$(sed -n 's/^run_id=//p' first.log)"
first_dir="$(sed -n 's#^summary=\(.*\)/summary.json$#\1#p' first.log)"
second="$(sed -n 's/^run_id=//p' second.log)"
second_dir="$(sed -n 's#^summary=\(.*\)/summary.json$#\1#p' second.log)"

"$cli" runs delete "$first" --db runs.db > delete.txt
[ -d "$first_dir" ] || fail "the folder went without --with-files"
grep -qF "$first_dir" delete.txt || { cat delete.txt; fail "runs delete does not say where the kept folder is"; }
grep -q "kept" delete.txt && grep -q -- "--with-files" delete.txt || { cat delete.txt; fail "runs delete does not say the folder is kept"; }
grep -Eq "[0-9.]+ (KB|MB)" delete.txt || { cat delete.txt; fail "runs delete does not say the folder's size"; }

"$cli" runs delete "$second" --with-files --db runs.db > delete.txt
[ ! -e "$second_dir" ] || fail "--with-files left the folder"
grep -q "kept" delete.txt && fail "--with-files says a folder is kept"
echo "delete says what stays"
