#!/usr/bin/env bash
# runs rename ID NAME renames a run as the window's Rename does; runs list --format ids prints
# only the runs' uids, one a line, for scripts (the best run's id with --sort and --limit 1).
# Usage: rename_and_ids.sh FOLDBENCH_CLI
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
second="$(sed -n 's/^run_id=//p' second.log)"

"$cli" runs rename "$first" "baseline one" --db runs.db > rename.txt || fail "runs rename failed"
"$cli" runs show "$first" --db runs.db --format json | jq -e '.name == "baseline one"' > /dev/null || fail "the run was not renamed"
if "$cli" runs rename "$first" --db runs.db 2> err.txt; then fail "rename without a name succeeded"; fi

"$cli" runs list --db runs.db --format ids --sort created > ids.txt
printf '%s\n%s\n' "$first" "$second" | diff - ids.txt || fail "--format ids is not the uids, one a line"
best="$("$cli" runs list --db runs.db --format ids --sort -cv/val/acc/mean --limit 1)"
[ "$best" = "$first" ] || [ "$best" = "$second" ] || fail "the best run's id is '$best'"
"$cli" runs list --db runs.db --format ids --filter "status = stopped" > none.txt
[ ! -s none.txt ] || fail "--format ids printed something for no runs"
echo "rename and ids work"
