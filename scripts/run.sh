#!/usr/bin/env bash
# The main job: sets everything up, then opens the workbench on the bundled sample data.
# Without a display it runs the same job headless with foldbench-cli: check the data, train
# the 5-fold sample preset (recorded in experiments.db), show the run, export a submission.
# Usage: scripts/run.sh [extra arguments for foldbench]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
SAMPLE=resources/sample
# The checkout is the project folder: its experiments.db (created here) is the tracker both
# front ends use (the workspace rule, docs/GUIDE.md "Where files go").
[ -f experiments.db ] || build/bin/foldbench-cli runs list --db experiments.db > /dev/null
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec build/bin/foldbench --preset sample "$@"
fi
echo "run: no display; running the sample job headless with foldbench-cli"
CLI=build/bin/foldbench-cli
$CLI data check "$SAMPLE/train.tsv" --labels "$SAMPLE/labels.tsv"
$CLI train --preset sample --out runs --tag sample | tee /tmp/foldbench-run.$$.log
RUN_ID=$(sed -n 's/^run_id=//p' /tmp/foldbench-run.$$.log)
rm -f /tmp/foldbench-run.$$.log
$CLI runs show "$RUN_ID"
mkdir -p out
$CLI export --run "$RUN_ID" --test "$SAMPLE/test.tsv" --out "out/submission-$RUN_ID.csv" --format pstage
