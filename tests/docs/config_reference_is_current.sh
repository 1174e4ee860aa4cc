#!/usr/bin/env bash
# docs/CONFIG.md holds exactly what `foldbench-cli config docs` prints from the declaration.
# Usage: config_reference_is_current.sh FOLDBENCH_CLI DOCS_CONFIG_MD
set -euo pipefail
if ! diff <("$1" config docs) "$2"; then
  echo "docs/CONFIG.md is out of date: run scripts/cli-reference.sh"
  exit 1
fi
echo "reference is current"
