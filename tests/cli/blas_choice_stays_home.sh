#!/usr/bin/env bash
# The BLAS kernel choice is made per machine. When foldbench-cli restarts itself with better
# kernels than OpenBLAS picked, the variables it set for that restart (OPENBLAS_CORETYPE,
# FOLDBENCH_BLAS_CHOSEN) must not reach the programs it starts: sbatch exports the environment
# to every task, and the login node's AVX-512 kernels die with SIGILL on an AVX2 node.
# A user's own OPENBLAS_CORETYPE is theirs to pass on. sbatch and squeue are stand-ins that
# record the environment they were started with.
# Usage: blas_choice_stays_home.sh FOLDBENCH_CLI
set -euo pipefail
cli="$1"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
fail() { echo "FAIL: $*"; exit 1; }
clean=(env -u OPENBLAS_CORETYPE -u FOLDBENCH_BLAS -u FOLDBENCH_BLAS_CHOSEN)

"${clean[@]}" FOLDBENCH_BLAS_ASSUME_CORE=Prescott "$cli" version > version.txt 2>&1
if ! grep -q "OpenBLAS chose Prescott" version.txt; then
  echo "SKIP: no restart with better kernels here (not OpenBLAS, or a CPU without AVX): $(grep BLAS version.txt)"
  exit 77
fi

mkdir bin
cat > bin/sbatch <<'SCRIPT'
#!/bin/sh
env > "$(dirname "$0")/../sbatch.env"
echo 4242
SCRIPT
cat > bin/squeue <<'SCRIPT'
#!/bin/sh
exit 0
SCRIPT
chmod +x bin/sbatch bin/squeue

submit() {  # extra environment...
  rm -f sbatch.env
  "${clean[@]}" "$@" FOLDBENCH_BLAS_ASSUME_CORE=Prescott PATH="$scratch/bin:$PATH" \
    "$cli" cluster slurm --preset sample --epochs 1 --db main.db --submit > submit.log 2>&1 \
    || { cat submit.log; fail "cluster slurm --submit"; }
  [ -s sbatch.env ] || fail "sbatch was not called"
}

submit
grep -q "^OPENBLAS_CORETYPE=" sbatch.env && fail "the restart's OPENBLAS_CORETYPE reached sbatch: $(grep ^OPENBLAS_CORETYPE= sbatch.env)"
grep -q "^FOLDBENCH_BLAS_CHOSEN=" sbatch.env && fail "FOLDBENCH_BLAS_CHOSEN reached sbatch"

submit OPENBLAS_CORETYPE=Haswell
grep -q "^OPENBLAS_CORETYPE=Haswell$" sbatch.env || fail "the user's own OPENBLAS_CORETYPE was dropped"
echo "the BLAS choice stays home"
