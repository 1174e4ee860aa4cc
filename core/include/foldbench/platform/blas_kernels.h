#pragma once
// OpenBLAS picks its kernels from the CPU model when it loads. On a CPU model it does not know
// (a new cloud VM), it falls back to its oldest kernels and runs several times slower than the
// CPU allows (docs/PLATFORM-FACTS.md: 61-65 vs 276-306 GFLOP/s). Since OpenBLAS reads OPENBLAS_CORETYPE
// only when it loads, choosing better kernels means restarting the process with it set.
//
// Every front end calls chooseBlasKernels() first thing in main(). The rules:
//   - FOLDBENCH_BLAS=off: nothing is changed;
//   - OPENBLAS_CORETYPE set by the user: respected;
//   - the BLAS is not OpenBLAS: nothing to do;
//   - OpenBLAS chose a kernel set below what the CPU supports (cpuid): the process re-executes
//     itself with the best matching set, then checks a small product against a float64
//     reference; on a mismatch it re-executes once more with OpenBLAS's own choice and warns.
//     The restarted process clears both variables it was restarted with (OPENBLAS_CORETYPE,
//     FOLDBENCH_BLAS_CHOSEN): programs it starts (sbatch, which exports the environment to
//     every task on other nodes) choose for their own CPU. When the restart fails (no
//     /proc/self/exe), it warns and carries on with the kernels OpenBLAS loaded.
// Test hooks: FOLDBENCH_BLAS_ASSUME_CORE=<name> pretends OpenBLAS chose <name>;
// FOLDBENCH_BLAS_FAIL_CHECK=1 makes the check fail.
#include <string>

namespace foldbench::platform {

struct CpuFeatures {
  bool sse3 = false, avx = false, avx2 = false, fma = false;
  bool avx512f = false, avx512bw = false, avx512dq = false, avx512vl = false;
};
CpuFeatures detectCpu();

// OpenBLAS's core name ("Prescott", "Haswell", "Zen", "SkylakeX"...), or "" when the BLAS in
// this process is not OpenBLAS.
std::string openblasCoreName();
std::string openblasConfig();  // "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY ..." or ""

// Kernel generations, as far as this matters here: 0 unknown/oldest .. 3 AVX-512.
int coreGeneration(const std::string& coreName);
// The best OpenBLAS kernel set for the CPU: "SkylakeX", "Haswell", "Sandybridge" or "".
std::string bestCoreFor(const CpuFeatures& cpu);

struct BlasChoice {
  std::string core;    // in use in this process
  std::string how;     // "openblas" (its own choice), "chosen", "user", "off", "fallback", "none"
  std::string reason;  // in words
};

// May not return: re-executes the process (same arguments) with OPENBLAS_CORETYPE set.
BlasChoice chooseBlasKernels(int argc, char** argv);
// The same, with the arguments read from /proc/self/cmdline: for processes whose main() is not
// ours (test runners), called from a static initialiser.
BlasChoice chooseBlasKernelsForThisProcess();
// What chooseBlasKernels decided for this process (also after a re-execution).
BlasChoice currentBlasChoice();
// One line for logs, `--version` and the tracker's sys/blas.
std::string blasSummary();

// A 64 x 64 x 64 sgemm agrees with a float64 product within 1e-4 (relative).
bool sgemmMatchesReference();
// Best of a few n x n x n sgemm runs, in GFLOP/s; 0 when no BLAS is loaded.
double measureSgemm(int n);

}  // namespace foldbench::platform
