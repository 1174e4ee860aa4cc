#!/usr/bin/env bash
# A run stopped (SIGTERM, as Slurm and Ctrl+C stop it) after some of its folds: it exits 130, and
# its summary says how many of the planned folds it scored instead of calling them "N-fold".
# Usage: stopped_run.sh FOLDBENCH_CLI
set -euo pipefail
cli="$1"
scratch="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$scratch"' EXIT
cd "$scratch"
fail() { echo "FAIL: $*"; cat train.log; exit 1; }

"$cli" train --preset sample --epochs 30 --no-track --out "$scratch/runs" > train.log 2>&1 &
pid=$!
for _ in $(seq 600); do
  grep -q '^fold 1 finished' train.log && break
  kill -0 "$pid" 2>/dev/null || fail "the run ended before two folds finished"
  sleep 0.2
done
grep -q '^fold 1 finished' train.log || fail "fold 1 did not finish in 120 s"
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
[ "$rc" = 130 ] || fail "a stopped run exited $rc, not 130"
grep -q '^status stopped' train.log || fail "the run is not reported stopped"
grep -Eq '^val acc list, [2-4] of 5 folds:' train.log || fail "the fold list does not say how many of the 5 folds it holds"
grep -Eq '^val average acc, [2-4] of 5 folds: ' train.log || fail "the average does not say how many of the 5 folds it holds"
grep -Eq '^[0-9]+-fold val' train.log && fail "a stopped run's summary calls its folds N-fold"
echo "stopped run: summary over $(sed -n 's/^val acc list, \([0-9]\) of 5 folds:.*/\1/p' train.log) of 5 folds"
