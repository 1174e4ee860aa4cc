#!/usr/bin/env bash
# The workspace rule: outside a project folder the tracker and runs go to $XDG_DATA_HOME/foldbench;
# a working directory holding experiments.db keeps both; --db and --out still win.
# Usage: where_files_go.sh FOLDBENCH_CLI
set -euo pipefail
cli="$1"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
export XDG_DATA_HOME="$scratch/data"
mkdir -p "$scratch/plain" "$scratch/project"
cd "$scratch/plain"
"$cli" train --preset sample --epochs 1 --name plain > train.log
id=$(sed -n 's/^run_id=//p' train.log)
[ -f "$XDG_DATA_HOME/foldbench/experiments.db" ] || { echo "no tracker in the data folder"; exit 1; }
[ -f "$XDG_DATA_HOME/foldbench/runs/$id/summary.json" ] || { echo "run not beside the tracker"; cat train.log; exit 1; }
[ -z "$(ls -A "$scratch/plain" | grep -v '^train.log$')" ] || { echo "wrote into the working directory:"; ls "$scratch/plain"; exit 1; }
# Any directory sees the same tracker.
cd "$scratch"
"$cli" runs list --format csv | grep -q "$id" || { echo "run not listed from another directory"; exit 1; }

# A project folder: an existing experiments.db in the working directory.
cd "$scratch/project"
"$cli" runs list --db experiments.db > /dev/null   # creates the project's tracker
"$cli" train --preset sample --epochs 1 --name project > train.log
pid=$(sed -n 's/^run_id=//p' train.log)
[ -f "runs/$pid/summary.json" ] || { echo "project run not in the project folder"; cat train.log; exit 1; }
"$cli" runs list --format csv | grep -q "$pid" || { echo "project tracker does not list its run"; exit 1; }
"$cli" runs list --format csv | grep -q "$id" && { echo "project folder listed the data folder's run"; exit 1; }
# --out is relative to the working directory.
mkdir sub && cd sub
"$cli" train --preset sample --epochs 1 --no-track --out here > train.log
grep -q "^summary=$scratch/project/sub/here/" train.log || { echo "--out not relative to the working directory"; cat train.log; exit 1; }
echo "files go where the rule says"
