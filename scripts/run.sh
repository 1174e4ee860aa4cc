#!/usr/bin/env bash
# The main job: sets everything up, then opens the workbench on the bundled sample data.
# Without a display it runs the same job headless through foldbench-cli.
# Usage: scripts/run.sh [extra arguments for foldbench]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
SAMPLE=resources/sample
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec build/bin/foldbench --train "$SAMPLE/train.tsv" --labels "$SAMPLE/labels.tsv" "$@"
fi
echo "run: no display; running the sample job headless with foldbench-cli"
build/bin/foldbench-cli data check "$SAMPLE/train.tsv" --labels "$SAMPLE/labels.tsv"
