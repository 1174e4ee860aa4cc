#!/usr/bin/env bash
# Writes docs/CLI.md from `foldbench-cli --help` and docs/CONFIG.md from `foldbench-cli config docs`,
# the one sources of the command and config references.
# Usage: scripts/cli-reference.sh [FOLDBENCH_CLI]   (tests cli.reference_is_current and
# config.reference_is_current check them)
set -euo pipefail
cd "$(dirname "$0")/.."
cli="${1:-build/bin/foldbench-cli}"
{
  echo "# foldbench-cli reference"
  echo
  echo "Generated from \`foldbench-cli --help\` by \`scripts/cli-reference.sh\`; the test"
  echo "\`cli.reference_is_current\` fails when this file and the program disagree. Every command"
  echo "also takes \`--help\`. The config fields are documented by \`foldbench-cli config init --docs\`."
  echo
  echo '```text'
  "$cli" --help
  echo '```'
} > docs/CLI.md
"$cli" config docs > docs/CONFIG.md
