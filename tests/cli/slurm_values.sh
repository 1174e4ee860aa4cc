#!/usr/bin/env bash
# cluster slurm refuses a --partition, --time or --mem that Slurm could not parse, naming the
# option, before it prepares or records anything: these values go unquoted into #SBATCH lines,
# where a newline would make the rest a shell command on every node.
# Usage: slurm_values.sh FOLDBENCH_CLI
set -euo pipefail
cli="$1"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }

check() {  # option value
  if "$cli" cluster slurm --preset sample --epochs 1 --db main.db "$1" "$2" > out.log 2> err.log; then
    fail "$1 '$2' was accepted"
  fi
  grep -q -- "$1 '" err.log || { cat err.log; fail "the refusal of $1 does not name it"; }
  [ ! -e runs ] || fail "a run folder was prepared for a refused $1"
}
check --partition $'short\ntouch /tmp/pwned'
check --time $'2:00:00\n#SBATCH --wrap=id'
check --mem '8G; id'
[ ! -e main.db ] || [ -z "$("$cli" runs list --db main.db --format csv | tail -n +2)" ] || fail "a refused run was recorded"
echo "slurm values are checked"
