#!/usr/bin/env bash
# A new user's first steps, outside the source tree: write the sample config, train it.
# Usage: sample_from_any_directory.sh FOLDBENCH_CLI
set -euo pipefail
cli="$1"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
"$cli" config init --preset sample > sample.json
grep -q '"train_path": "/' sample.json || { echo "config init wrote a relative data path"; cat sample.json; exit 1; }
"$cli" train --config sample.json --epochs 1 --no-track | grep "^status"
# An older config with the source-tree relative paths works too.
sed -e 's#"[^"]*/resources/sample/#"resources/sample/#' sample.json > relative.json
"$cli" train --config relative.json --epochs 1 --no-track | grep -q '^status finished'
echo "sample trains from $scratch"
