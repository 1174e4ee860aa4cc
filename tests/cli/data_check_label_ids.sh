#!/usr/bin/env bash
# data check without --labels says its label ids are its own (numbered alphabetically), since
# they may differ from the labels.tsv training uses; with --labels it says nothing of the kind.
# Usage: data_check_label_ids.sh FOLDBENCH_CLI
set -euo pipefail
cli="$1"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }
"$cli" config init --preset sample > sample.json
train="$(sed -n 's#.*"train_path": "\(.*\)",#\1#p' sample.json)"
labels="$(sed -n 's#.*"labels_path": "\(.*\)",#\1#p' sample.json)"
[ -f "$train" ] && [ -f "$labels" ] || fail "no sample paths in sample.json"
"$cli" data check "$train" > without.txt 2> /dev/null
grep -q "^labels .*numbered alphabetically.*--labels" without.txt || { cat without.txt; fail "no note on the label ids"; }
"$cli" data check "$train" --labels "$labels" > with.txt 2> /dev/null
grep -q "alphabetically" with.txt && fail "the note is given with --labels"
echo "label ids are explained"
