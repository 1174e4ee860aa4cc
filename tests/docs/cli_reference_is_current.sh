#!/usr/bin/env bash
# docs/CLI.md holds exactly what `foldbench-cli --help` prints.
# Usage: cli_reference_is_current.sh FOLDBENCH_CLI DOCS_CLI_MD
set -euo pipefail
documented="$(sed -n '/^```text$/,/^```$/p' "$2" | sed '1d;$d')"
actual="$("$1" --help)"
if [ "$documented" != "$actual" ]; then
  diff <(echo "$documented") <(echo "$actual") || true
  echo "docs/CLI.md is out of date: run scripts/cli-reference.sh"
  exit 1
fi
echo "reference is current"
