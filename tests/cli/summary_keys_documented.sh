#!/usr/bin/env bash
# Every key GUIDE.md names for summary.json (the backquoted names in its "`summary.json` (...)"
# description) is in the summary.json a run writes.
# Usage: summary_keys_documented.sh FOLDBENCH_CLI GUIDE_MD
set -euo pipefail
cli="$1"
guide="$2"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
"$cli" config init --preset sample > sample.json
"$cli" train --config sample.json --epochs 1 --db runs.db --out runs > train.log
summary="$(sed -n 's/^summary=//p' train.log)"
python3 - "$guide" "$summary" <<'PY'
import json, re, sys
guide = open(sys.argv[1], encoding="utf-8").read()
summary = json.load(open(sys.argv[2], encoding="utf-8"))
described = re.search(r"`summary\.json` \(([^)]*)\)", guide)
assert described, "GUIDE.md does not describe summary.json's keys"
keys = re.findall(r"`([^`]+)`", described.group(1))
assert keys, "GUIDE.md names no summary.json key"
for key in keys:
    node = summary
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            sys.exit(f"FAIL: GUIDE.md names '{key}', which summary.json does not hold")
        node = node[part]
print(f"summary.json keys documented: {', '.join(keys)}")
PY
