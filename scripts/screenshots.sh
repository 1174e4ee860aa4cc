#!/usr/bin/env bash
# Renders the workbench window in its states to docs/screenshots/*.png (offscreen; the same
# under Xvfb with QT_QPA_PLATFORM=xcb). Trains the sample preset once (about a minute).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
build/bin/foldbench-screenshots docs/screenshots
