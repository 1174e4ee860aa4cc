#!/usr/bin/env bash
# The GPU check (issue 28) in one script, for a machine with an NVIDIA GPU, CUDA, CMake, ninja,
# a C++ compiler and a Python whose PyTorch is a CUDA build, but no network and no Debian
# packages of ours (docs/CUDA.md, "Checking on a GPU"). It
#   1. records the machine (facts.txt),
#   2. unpacks the bundled .deb files (scripts/device-bundle.sh) into a private prefix and builds
#      googletest there with the C++ ABI of the wheel's LibTorch,
#   3. builds headless (FOLDBENCH_BUILD_GUI=OFF) against the wheel's LibTorch,
#   4. runs the `gpu` ctest label (FOLDBENCH_REQUIRE_CUDA=1: a skip is a failure),
#   5. trains the sample preset with 5 folds on cuda, tracked, and the same config on the CPU,
#      exports both, and compares the predictions (results.txt),
#   6. measures examples/s of a BERT-base-shaped transformer in fp32 and bf16,
#   7. runs the rest of the suite with the GPU hidden, as far as the time allows, then the torch
#      tests with the GPU visible (informational).
# Every step is bounded with `timeout`; a failed step is recorded and the script goes on.
# Everything lands in OUTDIR: summary.txt (read it first), facts.txt, results.txt, steps.tsv,
# logs/, ctest JUnit files, the submissions, probability and out-of-fold files.
# Exit status 0 when the gpu tests passed and the sample trained on cuda.
#
# Usage: scripts/device-check.sh OUTDIR
# Environment:
#   FOLDBENCH_DEVICE_BUDGET_S  seconds for the whole script (default 470); late steps are
#                              shortened or skipped, never the summary
#   FOLDBENCH_DEVICE_DEBS      the .deb folder (default: <repo>/device-debs)
#   FOLDBENCH_DEVICE_BUILD     work folder: prefix, build tree, runs (default: <repo>/build-device,
#                              kept between calls on a warm machine, so a rerun builds incrementally)
#   FOLDBENCH_DEVICE_PYTHON    the Python with the CUDA PyTorch (default: python3)
set -uo pipefail

[[ $# -eq 1 ]] || { echo "usage: scripts/device-check.sh OUTDIR" >&2; exit 2; }
START=$(date +%s)
BUDGET=${FOLDBENCH_DEVICE_BUDGET_S:-470}
RESERVE=12  # seconds kept for the summary
mkdir -p "$1" || exit 2
OUT=$(cd "$1" && pwd)
REPO=$(cd "$(dirname "$0")/.." && pwd)
DEBS=${FOLDBENCH_DEVICE_DEBS:-$REPO/device-debs}
WORK=${FOLDBENCH_DEVICE_BUILD:-$REPO/build-device}
PY=${FOLDBENCH_DEVICE_PYTHON:-python3}
mkdir -p "$OUT/logs" "$WORK/runs" || exit 2
WORK=$(cd "$WORK" && pwd)
PRIV=$WORK/prefix
TREE=$WORK/tree
LIBDIR=$PRIV/usr/lib/x86_64-linux-gnu
CLI=$TREE/bin/foldbench-cli
DB=$WORK/runs/experiments.db
SAMPLE=$REPO/resources/sample
SUMMARY=$OUT/summary.txt
RESULTS=$OUT/results.txt
: > "$SUMMARY"
: > "$RESULTS"
printf 'step\tstatus\tseconds\n' > "$OUT/steps.tsv"
JOBS=$(nproc 2> /dev/null || echo 4)

say() { echo "[$(date +%T) +$(($(date +%s) - START))s] $*" | tee -a "$SUMMARY"; }
result() { echo "$*" | tee -a "$RESULTS"; }
left() { echo $((BUDGET - RESERVE - ($(date +%s) - START))); }

# step NAME MAX_SECONDS COMMAND...: runs COMMAND (a program, or a function of this script, which
# must be exported) in a child bash under `timeout`, for MAX_SECONDS or what is left, whichever is
# less; its output goes to logs/NAME.log, its status to steps.tsv and STATUS[NAME].
declare -A STATUS
step() {
  local name=$1 max=$2
  shift 2
  local budget
  budget=$(left)
  if ((budget < 15)); then
    STATUS[$name]=skipped
    printf '%s\tskipped\t0\n' "$name" >> "$OUT/steps.tsv"
    say "$name: SKIPPED (out of time)"
    return 99
  fi
  local limit=$((max < budget ? max : budget)) t0 rc
  t0=$(date +%s)
  say "$name: start (limit ${limit}s)"
  timeout --kill-after=10 "$limit" bash -c '"$@"' step "$@" > "$OUT/logs/$name.log" 2>&1
  rc=$?
  local secs=$(($(date +%s) - t0)) status
  if ((rc == 0)); then
    status=ok
  elif ((rc == 124 || rc == 137)); then
    status="TIMEOUT after ${limit}s"
  else
    status="FAILED (exit $rc)"
  fi
  STATUS[$name]=$status
  printf '%s\t%s\t%s\n' "$name" "$status" "$secs" >> "$OUT/steps.tsv"
  say "$name: $status in ${secs}s (logs/$name.log)"
  if ((rc != 0)); then
    tail -n 30 "$OUT/logs/$name.log" | sed 's/^/    | /' | tee -a "$SUMMARY"
  fi
  return $rc
}

# ---------------------------------------------------------------------------------------------
# 1. Facts

facts() {
  echo "date: $(date -u +%FT%TZ)"
  echo "repo: $REPO at $(git -C "$REPO" rev-parse --short HEAD 2> /dev/null || echo '(no git)')"
  echo "== uname"; uname -a
  echo "== /etc/os-release"; cat /etc/os-release 2> /dev/null
  echo "== glibc"; ldd --version 2>&1 | head -1; getconf GNU_LIBC_VERSION 2>&1
  echo "== libstdc++ (newest GLIBCXX of the one the loader finds)"
  local lib
  lib=$(ldconfig -p 2> /dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}')
  [[ -n $lib ]] || lib=$(g++ -print-file-name=libstdc++.so.6 2> /dev/null)
  echo "$lib: $(grep -ao 'GLIBCXX_3\.4\.[0-9]*' "$lib" 2> /dev/null | sort -uV | tail -1)"
  echo "== compilers"
  for c in c++ g++ gcc clang++; do command -v $c > /dev/null && echo "$c ($(command -v $c)): $($c --version | head -1)"; done
  echo "== cmake, ninja"; cmake --version | head -1; echo "ninja $(ninja --version 2>&1)"
  echo "== CUDA toolkit"; echo "nvcc: ${NVCC:-none}"; [[ -n $NVCC ]] && "$NVCC" --version | tail -2
  ls -d /usr/local/cuda* 2> /dev/null
  echo "== nvidia-smi"
  nvidia-smi --query-gpu=name,memory.total,driver_version,compute_cap --format=csv 2>&1
  nvidia-smi 2>&1 | head -20
  echo "== Python and its PyTorch"
  command -v "$PY"; "$PY" --version
  "$PY" - << 'EOF' 2>&1
import torch
print("torch", torch.__version__, "cuda", torch.version.cuda, "cudnn", torch.backends.cudnn.version())
print("cxx11 abi", int(torch.compiled_with_cxx11_abi()), "(torch._C._GLIBCXX_USE_CXX11_ABI:", torch._C._GLIBCXX_USE_CXX11_ABI, ")")
print("cmake_prefix_path", torch.utils.cmake_prefix_path)
print("cuda available", torch.cuda.is_available(), "devices", torch.cuda.device_count(),
      torch.cuda.get_device_name(0) if torch.cuda.is_available() else "")
print("\n".join(torch.__config__.parallel_info().splitlines()[:8]))
for name in ("transformers", "safetensors", "tokenizers"):
    try:
        print(name, __import__(name).__version__)
    except Exception as e:
        print(name, "missing:", e)
EOF
  echo "== cores, memory, disk"; echo "nproc $(nproc)"; free -g 2> /dev/null | head -2; df -h "$WORK" | tail -1
  echo "== tools"
  for t in dpkg ar tar xz pkg-config pkgconf git objdump timeout; do printf '%s: %s\n' $t "$(command -v $t || echo MISSING)"; done
}

NVCC=$(command -v nvcc || ls /usr/local/cuda/bin/nvcc 2> /dev/null | head -1 || true)
CUDA_ROOT=
if [[ -n $NVCC ]]; then
  CUDA_ROOT=$(cd "$(dirname "$NVCC")/.." && pwd)
  export PATH="$CUDA_ROOT/bin:$PATH"
fi
export REPO DEBS WORK PY PRIV TREE LIBDIR OUT JOBS NVCC CUDA_ROOT CLI DB SAMPLE
export -f facts
say "device check of $REPO into $OUT: budget ${BUDGET}s, $JOBS jobs"
step facts 60 facts
cp "$OUT/logs/facts.log" "$OUT/facts.txt"
cat "$OUT/facts.txt"

TORCH_CMAKE=$("$PY" -c 'import torch; print(torch.utils.cmake_prefix_path)' 2> /dev/null)
TORCH_LIB=$("$PY" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))' 2> /dev/null)
TORCH_ABI=$("$PY" -c 'import torch; print(int(torch.compiled_with_cxx11_abi()))' 2> /dev/null)
# The CUDA libraries of the wheel (the nvidia-*-cu12 packages): what Python's torch itself loads.
NVIDIA_LIBS=$("$PY" - 2> /dev/null << 'EOF'
import glob, os, site, torch
dirs = []
for base in [os.path.dirname(os.path.dirname(torch.__file__))] + site.getsitepackages():
    dirs += [d for d in sorted(glob.glob(os.path.join(base, "nvidia", "*", "lib"))) if d not in dirs]
print(":".join(dirs))
EOF
)
if [[ -z $TORCH_CMAKE || ! -d $TORCH_CMAKE/Torch ]]; then
  say "FATAL: $PY has no PyTorch with CMake files (torch.utils.cmake_prefix_path): nothing can be built"
  exit 1
fi
say "LibTorch: $TORCH_CMAKE (cxx11 ABI: $TORCH_ABI); nvcc: ${NVCC:-none}"
TORCH_CUDA=$("$PY" -c 'import torch; print(torch.version.cuda or "")' 2> /dev/null)
NVCC_CUDA=$([[ -n $NVCC ]] && "$NVCC" --version | sed -n 's/.*release \([0-9.]*\),.*/\1/p')
[[ -z $NVCC ]] && say "WARNING: no nvcc: the CMake files of a CUDA LibTorch need the CUDA toolkit"
if [[ -n $NVCC_CUDA && -n $TORCH_CUDA && ${NVCC_CUDA%%.*} != "${TORCH_CUDA%%.*}" ]]; then
  # The programs then link the toolkit's CUDA libraries beside the wheel's: versioned symbols
  # keep them apart, but it is the first suspect when CUDA fails at run time.
  say "WARNING: the CUDA toolkit is $NVCC_CUDA, the wheel's torch was built for CUDA $TORCH_CUDA"
fi
export TORCH_CMAKE TORCH_ABI NVIDIA_LIBS

# Debian 12's libraries need glibc 2.34 and GLIBCXX_3.4.29: say so before a link error does.
GLIBC=$(getconf GNU_LIBC_VERSION 2> /dev/null | awk '{print $2}')
if [[ -n $GLIBC && $(printf '%s\n2.34\n' "$GLIBC" | sort -V | head -1) != 2.34 ]]; then
  say "WARNING: glibc $GLIBC is older than 2.34: the bundled Debian 12 libraries (SQLite, sentencepiece) cannot load here"
fi
if ! grep -q "GLIBCXX_3.4.29" "$(g++ -print-file-name=libstdc++.so.6 2> /dev/null)" 2> /dev/null; then
  say "WARNING: this compiler's libstdc++ lacks GLIBCXX_3.4.29: Debian 12's libsentencepiece needs GCC 11's or newer"
fi
if ! cmake --version | awk 'NR == 1 {split($3, v, "."); exit !(v[1] > 3 || (v[1] == 3 && v[2] >= 25))}'; then
  # The project asks for 3.25 (its presets); its CMake code needs 3.21 (ctest --output-junit).
  say "WARNING: $(cmake --version | head -1) is older than 3.25: lowering cmake_minimum_required in this copy only"
  sed -i 's/^cmake_minimum_required(VERSION 3.25)/cmake_minimum_required(VERSION 3.21)/' "$REPO/CMakeLists.txt"
fi

# The private libraries first: the programs' RUNPATH comes after LD_LIBRARY_PATH.
export LD_LIBRARY_PATH="$LIBDIR:$TORCH_LIB${NVIDIA_LIBS:+:$NVIDIA_LIBS}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# foldbench-spm-train links `sentencepiece_train` by name: the linker must find it.
export LIBRARY_PATH="$LIBDIR${LIBRARY_PATH:+:$LIBRARY_PATH}"
export PKG_CONFIG_PATH="$LIBDIR/pkgconfig:$PRIV/usr/share/pkgconfig"
export TORCH_CUDA_ARCH_LIST=${TORCH_CUDA_ARCH_LIST:-9.0}
export XDG_CACHE_HOME=$WORK/xdg-cache XDG_DATA_HOME=$WORK/xdg-data
export CMAKE_BUILD_PARALLEL_LEVEL=$JOBS

# ---------------------------------------------------------------------------------------------
# 2. The bundled Debian packages, googletest

unpack() {
  rm -rf "${PRIV:?}/usr"
  "$REPO/scripts/device-bundle.sh" unpack "$DEBS" "$PRIV" || return 1
  cat "$DEBS/MANIFEST" 2> /dev/null
  echo "== what the bundled libraries need, and whether they load here"
  local so
  for so in "$LIBDIR"/libsqlite3.so.0 "$LIBDIR"/libsentencepiece.so.0 "$LIBDIR"/libsentencepiece_train.so.0; do
    echo "$so: $(objdump -T "$so" 2> /dev/null | grep -oE 'GLIBC_[0-9.]+|GLIBCXX_[0-9.]+' | sort -uV | tr '\n' ' ')"
    if ldd "$so" 2>&1 | grep -E "not found"; then return 1; fi
  done
}

gtest() {
  local stamp=$PRIV/gtest/abi-$TORCH_ABI
  if [[ -f $stamp ]]; then echo "googletest already built for C++ ABI $TORCH_ABI"; return 0; fi
  rm -rf "${PRIV:?}/gtest" "${WORK:?}/googletest"
  cmake -S "$PRIV/usr/src/googletest" -B "$WORK/googletest" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_GMOCK=OFF -DINSTALL_GTEST=ON -DCMAKE_INSTALL_PREFIX="$PRIV/gtest" -DCMAKE_INSTALL_LIBDIR=lib \
    -DCMAKE_POSITION_INDEPENDENT_CODE=ON -DCMAKE_CXX_FLAGS="-D_GLIBCXX_USE_CXX11_ABI=$TORCH_ABI" &&
    cmake --build "$WORK/googletest" -j "$JOBS" && cmake --install "$WORK/googletest" && touch "$stamp"
}

# ---------------------------------------------------------------------------------------------
# 3. Headless build against the wheel's LibTorch

configure() {
  local pkgconfig=() cuda=()
  command -v pkg-config > /dev/null || pkgconfig=(-DPKG_CONFIG_EXECUTABLE="$PRIV/usr/bin/pkgconf")
  [[ -n $NVCC ]] && cuda=(-DCMAKE_CUDA_COMPILER="$NVCC" -DCUDAToolkit_ROOT="$CUDA_ROOT" -DCUDA_TOOLKIT_ROOT_DIR="$CUDA_ROOT"
                          -DCMAKE_CUDA_ARCHITECTURES=90 -DCMAKE_CUDA_FLAGS=-allow-unsupported-compiler)
  # CUDA 12.9 and later toolkits no longer ship libnvToolsExt, which the CMake files of LibTorch
  # 2.x CUDA builds ask for (2.4: a fatal error), though NVTX3's headers are all they use: then a
  # file read after project(), before find_package(Torch), stands the headers in for it.
  local nvtx='' dir
  if [[ -n $CUDA_ROOT ]] && ! ls "$CUDA_ROOT"/lib*/libnvToolsExt.so* > /dev/null 2>&1; then
    for dir in "$CUDA_ROOT/include" "$CUDA_ROOT"/targets/*/include ${NVIDIA_LIBS//:/ }; do
      dir=${dir%/lib}
      [[ -d $dir/nvtx3 ]] && { nvtx=$dir; break; }
      [[ -d $dir/include/nvtx3 ]] && { nvtx=$dir/include; break; }
    done
  fi
  if [[ -n $nvtx ]]; then
    cat > "$WORK/torch-cuda-fixes.cmake" << EOF
set(nvtx3_dir "$nvtx" CACHE PATH "NVTX3 headers (device-check.sh)")
if(NOT TARGET CUDA::nvToolsExt)
  message(STATUS "device-check.sh: CUDA::nvToolsExt stands for the NVTX3 headers in $nvtx")
  add_library(CUDA::nvToolsExt INTERFACE IMPORTED)
  target_include_directories(CUDA::nvToolsExt INTERFACE "$nvtx")
endif()
EOF
    cuda+=(-DCMAKE_PROJECT_INCLUDE="$WORK/torch-cuda-fixes.cmake")
  fi
  # --no-as-needed: nothing calls into libtorch_cuda.so directly, and a linker that drops unused
  # libraries (Ubuntu's default) would leave programs that never see the GPU.
  cmake -S "$REPO" -B "$TREE" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DFOLDBENCH_BUILD_GUI=OFF -DFOLDBENCH_BUILD_BENCH=OFF -DFOLDBENCH_BUILD_TESTS=ON \
    -DCMAKE_PREFIX_PATH="$TORCH_CMAKE;$PRIV/usr;$PRIV/gtest" \
    -DGTest_DIR="$PRIV/gtest/lib/cmake/GTest" -Dnlohmann_json_DIR="$PRIV/usr/share/cmake/nlohmann_json" \
    -DSQLite3_INCLUDE_DIR="$PRIV/usr/include" -DSQLite3_LIBRARY="$LIBDIR/libsqlite3.so" \
    -DCMAKE_EXE_LINKER_FLAGS="-Wl,--no-as-needed" -DUSE_SYSTEM_NVTX=ON \
    "${pkgconfig[@]}" "${cuda[@]}"
}

build() { cmake --build "$TREE" -j "$JOBS" "$@"; }

# ---------------------------------------------------------------------------------------------
# 5. The sample preset on cuda and on the CPU; 6. the BERT-base shape

# write_config DEVICE FILE [SECTION.KEY=JSON...]: the sample preset, 5 folds, on DEVICE.
write_config() {
  local device=$1 file=$2
  shift 2
  "$CLI" config init --preset sample > "$file.preset" || return 1
  "$PY" - "$file.preset" "$file" "$device" "$SAMPLE" "$@" << 'EOF'
import json, sys
src, dst, device, sample, *changes = sys.argv[1:]
c = json.load(open(src))
c["data"].update(train_path=sample + "/train.tsv", test_path=sample + "/test.tsv", labels_path=sample + "/labels.tsv")
c["train"]["device"] = device
c["kfold"].update(enabled=True, folds=5, fold=-1)
for change in changes:
    key, value = change.split("=", 1)
    section, name = key.split(".")
    c[section][name] = json.loads(value)
json.dump(c, open(dst, "w"), indent=2)
EOF
}

# train_run NAME CONFIG: trains, tracked in $DB, into $WORK/runs/NAME/<run id>; prints the wall time.
train_run() {
  local name=$1 config=$2 t0 rc ms
  rm -rf "${WORK:?}/runs/${name:?}"
  t0=$(date +%s%N)
  "$CLI" train --config "$config" --db "$DB" --out "$WORK/runs/$name" --name "device-check-$name" --tag device-check
  rc=$?
  ms=$((($(date +%s%N) - t0) / 1000000))
  printf 'wall_seconds=%d.%03d\n' $((ms / 1000)) $((ms % 1000))
  return $rc
}

run_id() { sed -n 's/^run_id=//p' "$OUT/logs/$1.log" 2> /dev/null | tail -1; }
run_dir() { sed -n 's#^summary=\(.*\)/summary.json$#\1#p' "$OUT/logs/$1.log" 2> /dev/null | tail -1; }

# export_run ID FILE_STEM: submission and probabilities of run ID into OUTDIR (no cache).
export_run() {
  "$CLI" export --run "$1" --test "$SAMPLE/test.tsv" --out "$OUT/$2-submission.csv" --probs "$OUT/$2-probs.csv" \
    --db "$DB" --no-cache --force
}

# without_gpu COMMAND...: COMMAND with the GPU hidden from CUDA (torch then sees none).
without_gpu() {
  export CUDA_VISIBLE_DEVICES=
  "$@"
}

# The BERT-base shape (12 layers, 768 wide, 12 heads, 3072 feed-forward, 128 tokens padded) on
# the sample rows, one split, 5 epochs: examples/s only (random weights, no pretrained family
# yet). The figure averages the epochs' training time, the first one (cuBLAS start-up) included.
bert_shape() {
  write_config cuda "$WORK/bert-$1.json" model.layers=12 model.hidden=768 model.heads=12 model.feed_forward=3072 \
    input.max_len=128 train.padding='"fixed"' train.epochs=5 train.batch_size=32 "train.precision=\"$1\"" \
    train.warmup_ratio=0.0 kfold.enabled=false kfold.val_ratio=0.2 &&
    train_run "bert-$1" "$WORK/bert-$1.json"
}

# run_figures STEP: device, precision, times and throughput of the run a step trained.
run_figures() {
  local dir
  dir=$(run_dir "$1")
  [[ -f $dir/summary.json ]] || { result "$1: no summary.json"; return 0; }
  "$PY" - "$1" "$dir/summary.json" "$(sed -n 's/^wall_seconds=//p' "$OUT/logs/$1.log")" << 'EOF' | tee -a "$RESULTS"
import json, sys
name, path, wall = sys.argv[1], sys.argv[2], sys.argv[3] or "0"
s = json.load(open(path))
cv = s["cv"]
eps = [f["examples_per_second"] for f in s["folds"]]
rates = ", ".join("%.0f" % e for e in eps)
seconds = ", ".join("%.1f" % f["seconds"] for f in s["folds"])
print("%s: run %s %s on %s (%s, %d threads): %d folds in %.1f s (wall %.1f s with start-up and tokenizer)"
      % (name, s["run_id"], s["status"], s["device"], s["precision"], s["threads"], len(s["folds"]), s["seconds"], float(wall)))
print("%s: cv val acc %.4f (std %.4f), micro-F1 %.4f, out-of-fold acc %.4f"
      % (name, cv["val_acc"]["mean"], cv["val_acc"]["std"], cv["val_micro_f1"]["mean"], cv["oof_acc"]))
print("%s: training examples/s per fold %s (mean %.0f); fold seconds %s"
      % (name, rates, sum(eps) / max(1, len(eps)), seconds))
EOF
}

# compare LABEL A B: two probability files (id,<labels>) or two oof.tsv files, row by row.
compare() {
  "$PY" - "$@" << 'EOF' | tee -a "$RESULTS"
import csv, sys
label, a, b = sys.argv[1:4]
def read(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f, delimiter="\t" if path.endswith(".tsv") else ","))
    first = 3 if rows[0][:3] == ["id", "label", "fold"] else 1  # oof.tsv: id label fold <probabilities>
    return {r[0]: [float(x) for x in r[first:]] for r in rows[1:] if r}
pa, pb = read(a), read(b)
ids = sorted(set(pa) & set(pb))
if not ids:
    sys.exit(label + ": no common rows")
argmax = lambda p: max(range(len(p)), key=p.__getitem__)
agree = sum(argmax(pa[i]) == argmax(pb[i]) for i in ids)
diffs = [abs(x - y) for i in ids for x, y in zip(pa[i], pb[i])]
print("%s: %d rows, argmax agreement %d/%d = %.4f, max |dp| %.2e, mean |dp| %.2e"
      % (label, len(ids), agree, len(ids), agree / len(ids), max(diffs), sum(diffs) / len(diffs)))
EOF
}

# ---------------------------------------------------------------------------------------------
# The steps, most important first. `step` runs them in a child bash: they are exported.

export -f unpack gtest configure build write_config train_run export_run without_gpu bert_shape

step unpack 60 unpack
step googletest 120 gtest
step configure 180 configure
# The GPU's tests and the CLI first; everything else after the GPU results.
step build 330 build --target foldbench-cli foldbench_gpu_tests
if [[ -x $CLI ]]; then
  step version 60 bash -c '"$CLI" --version && { "$CLI" doctor || echo "(doctor exited with $?)"; }'
  cat "$OUT/logs/version.log" >> "$OUT/facts.txt"
  grep -q "device cuda" "$OUT/logs/version.log" ||
    say "WARNING: foldbench-cli does not see CUDA (logs/version.log): was libtorch_cuda linked?"
fi

step gpu_tests 240 env FOLDBENCH_REQUIRE_CUDA=1 ctest --test-dir "$TREE" -L gpu --no-tests=error -V --output-on-failure \
  --output-junit "$OUT/ctest-gpu.xml" --timeout 300
grep -E "\[ figures  \]|tests passed|tests failed|\(Failed\)|\*\*\*|SKIPPED \]" "$OUT/logs/gpu_tests.log" 2> /dev/null |
  sed 's/^[0-9]*: //' | awk '!seen[$0]++' | head -40 | sed 's/^/gpu tests: /' | tee -a "$RESULTS"

if [[ -x $CLI ]]; then
  write_config cuda "$WORK/sample-gpu.json" && write_config cpu "$WORK/sample-cpu.json"
  step train_gpu 200 train_run gpu "$WORK/sample-gpu.json"
  run_figures train_gpu
  GPU_ID=$(run_id train_gpu)
  if [[ -n $GPU_ID ]]; then
    step runs_show 30 "$CLI" runs show "$GPU_ID" --db "$DB"
    step export_gpu 90 export_run "$GPU_ID" gpu
    # The same checkpoints scored on the CPU: the devices' rounding (and bf16 autocast) apart.
    step export_gpu_run_on_cpu 120 without_gpu export_run "$GPU_ID" gpu-run-on-cpu
  fi
  step train_cpu 240 train_run cpu "$WORK/sample-cpu.json"
  run_figures train_cpu
  CPU_ID=$(run_id train_cpu)
  [[ -n $CPU_ID ]] && step export_cpu 120 export_run "$CPU_ID" cpu
  [[ -f $OUT/gpu-probs.csv && -f $OUT/gpu-run-on-cpu-probs.csv ]] &&
    compare "test rows, the GPU run's checkpoints on cuda (bf16) vs on the CPU (fp32)" "$OUT/gpu-probs.csv" "$OUT/gpu-run-on-cpu-probs.csv"
  [[ -f $OUT/gpu-probs.csv && -f $OUT/cpu-probs.csv ]] &&
    compare "test rows, the GPU run vs the CPU run (trained apart)" "$OUT/gpu-probs.csv" "$OUT/cpu-probs.csv"
  GPU_DIR=$(run_dir train_gpu)
  CPU_DIR=$(run_dir train_cpu)
  [[ -f $GPU_DIR/oof.tsv && -f $CPU_DIR/oof.tsv ]] &&
    compare "out-of-fold rows, the GPU run vs the CPU run" "$GPU_DIR/oof.tsv" "$CPU_DIR/oof.tsv"
  for run in "$GPU_DIR" "$CPU_DIR"; do
    [[ -n $run && -d $run ]] || continue
    cp "$run/summary.json" "$OUT/$(basename "$(dirname "$run")")-summary.json"
    cp "$run/oof.tsv" "$OUT/$(basename "$(dirname "$run")")-oof.tsv"
  done

  step bert_fp32 90 bert_shape fp32
  run_figures bert_fp32
  step bert_bf16 90 bert_shape bf16
  run_figures bert_bf16
fi

# 7. The rest of the suite with the GPU hidden (the CPU path of a CUDA build; ctest stops
# cleanly at the budget), then the torch tests with the GPU visible: train.device auto picks
# it, so this shows which of the CPU suite's promises (exactness) hold on cuda. Informational.
step build_all 240 build -- -k 0
STOP=$(date -d "@$((START + BUDGET - RESERVE - 25))" +%H:%M:%S 2> /dev/null)
step ctest_cpu 400 without_gpu ctest --test-dir "$TREE" -LE gpu -E '^cluster\.slurm_array$' -j "$JOBS" \
  --output-on-failure --output-junit "$OUT/ctest-cpu.xml" --timeout 300 ${STOP:+--stop-time "$STOP"}
grep -E "tests passed|tests failed|\((Failed|Timeout|Not Run)\)|\*\*\*" "$OUT/logs/ctest_cpu.log" 2> /dev/null |
  head -40 | sed 's/^/cpu suite: /' | tee -a "$RESULTS"
if [[ -x $TREE/bin/foldbench_torch_tests ]]; then
  step torch_tests_on_cuda 200 "$TREE/bin/foldbench_torch_tests" --gtest_output="xml:$OUT/torch-tests-on-cuda.xml"
  grep -E "^\[  (PASSED|FAILED) |tests? ran|^\[  SKIPPED \]" "$OUT/logs/torch_tests_on_cuda.log" 2> /dev/null |
    sed 's/^/torch tests on cuda (informational): /' | tee -a "$RESULTS"
fi

# ---------------------------------------------------------------------------------------------
say "done in $(($(date +%s) - START))s"
{
  echo
  echo "== steps"
  column -t -s $'\t' "$OUT/steps.tsv" 2> /dev/null || cat "$OUT/steps.tsv"
  echo
  echo "== results"
  cat "$RESULTS"
} >> "$SUMMARY"
echo "==================== summary: $OUT/summary.txt"
cat "$SUMMARY"
[[ ${STATUS[gpu_tests]:-} == ok && ${STATUS[train_gpu]:-} == ok ]]
