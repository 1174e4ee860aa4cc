#!/usr/bin/env bash
# Fuzzes every parser that takes user input with libFuzzer, ASan and UBSan (clang), two targets
# at a time, and prints a table of executions and crashes per target.
# Usage: scripts/fuzz.sh [seconds per target, default 600] [target...]
# Working corpora grow in build-fuzz/corpus (seeded from fuzz/corpus); crashing inputs land in
# build-fuzz/crashes/. Each crash found becomes a regression test in the normal suite.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(competition_tsv klue_json text_csv label_map config_json filter store_open safetensors encoder_config tokenizer_json)
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DFOLDBENCH_FUZZ=ON > /dev/null
ninja -C build-fuzz > /dev/null
mkdir -p build-fuzz/crashes build-fuzz/logs
run() {
  local t="$1" max_len=4096
  [ "$t" = store_open ] && max_len=262144
  mkdir -p "build-fuzz/corpus/$t"
  build-fuzz/bin/fuzz_"$t" -max_total_time="$seconds" -max_len="$max_len" -print_final_stats=1 \
    -artifact_prefix="build-fuzz/crashes/$t-" "build-fuzz/corpus/$t" "fuzz/corpus/$t" \
    > "build-fuzz/logs/$t.log" 2>&1 || true
}
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  run "${targets[$i]}" &
  [ $((i + 1)) -lt ${#targets[@]} ] && run "${targets[$((i + 1))]}" &
  wait
done
printf '%-16s %8s %12s %8s %8s\n' target seconds executions corpus crashes
for t in "${targets[@]}"; do
  log="build-fuzz/logs/$t.log"
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  time=$(sed -n 's/^stat::total_time: *//p' "$log" 2>/dev/null | tail -1)
  corpus=$(ls "build-fuzz/corpus/$t" | wc -l)
  crashes=$(ls build-fuzz/crashes 2>/dev/null | grep -c "^$t-" || true)
  printf '%-16s %8s %12s %8s %8s\n' "$t" "${time:-$seconds}" "${execs:-?}" "$corpus" "$crashes"
done
