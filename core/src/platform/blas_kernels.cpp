#include "foldbench/platform/blas_kernels.h"

#include <dlfcn.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cerrno>
#include <cpuid.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

namespace foldbench::platform {

namespace {

constexpr const char* kCoreVariable = "OPENBLAS_CORETYPE";
constexpr const char* kChosenVariable = "FOLDBENCH_BLAS_CHOSEN";  // set by us for the re-executed process

// cblas_sgemm(order, transA, transB, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc)
using Sgemm = void (*)(int, int, int, int, int, int, float, const float*, int, const float*, int, float, float*, int);

template <typename Fn>
Fn symbol(const char* name) {
  return reinterpret_cast<Fn>(dlsym(RTLD_DEFAULT, name));
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

BlasChoice& decided() {
  static BlasChoice choice;
  return choice;
}

// True in a process started by reexec(): FOLDBENCH_BLAS_CHOSEN is cleared there, and the test
// hook FOLDBENCH_BLAS_ASSUME_CORE must still stop pretending.
bool restarted = false;

// Returns only when the restart failed, with the reason (execv keeps the process otherwise).
std::string reexec(char** argv) {
  std::fflush(stdout);
  std::fflush(stderr);
  execv("/proc/self/exe", argv);
  return std::string("execv /proc/self/exe: ") + std::strerror(errno);
}

}  // namespace

CpuFeatures detectCpu() {
  CpuFeatures f;
  unsigned a, b, c, d;
  if (__get_cpuid(1, &a, &b, &c, &d)) {
    f.sse3 = c & bit_SSE3;
    f.fma = c & bit_FMA;
    const bool osxsave = c & bit_OSXSAVE;
    f.avx = (c & bit_AVX) && osxsave;
  }
  if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
    f.avx2 = f.avx && (b & bit_AVX2);
    f.avx512f = f.avx && (b & bit_AVX512F);
    f.avx512bw = f.avx && (b & bit_AVX512BW);
    f.avx512dq = f.avx && (b & bit_AVX512DQ);
    f.avx512vl = f.avx && (b & bit_AVX512VL);
  }
  return f;
}

std::string openblasCoreName() {
  const auto name = symbol<char* (*)()>("openblas_get_corename");
  if (!name) return "";
  if (const auto assumed = env("FOLDBENCH_BLAS_ASSUME_CORE"); !assumed.empty() && env(kChosenVariable).empty() && !restarted)
    return assumed;
  const char* core = name();
  return core ? core : "";
}

std::string openblasConfig() {
  const auto config = symbol<char* (*)()>("openblas_get_config");
  const char* text = config ? config() : nullptr;
  return text ? text : "";
}

int coreGeneration(const std::string& core) {
  static const char* const avx512[] = {"skylakex", "cooperlake", "sapphirerapids"};
  static const char* const avx2[] = {"haswell", "zen", "skylake"};
  static const char* const avx[] = {"sandybridge", "bulldozer", "piledriver", "steamroller", "excavator"};
  std::string lower;
  for (char ch : core) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
  for (const char* n : avx512)
    if (lower == n) return 3;
  for (const char* n : avx2)
    if (lower == n) return 2;
  for (const char* n : avx)
    if (lower == n) return 1;
  return 0;  // Prescott, Core2, Nehalem, ... and anything unknown
}

std::string bestCoreFor(const CpuFeatures& cpu) {
  if (cpu.avx512f && cpu.avx512bw && cpu.avx512dq && cpu.avx512vl && cpu.fma) return "SkylakeX";
  if (cpu.avx2 && cpu.fma) return "Haswell";
  if (cpu.avx) return "Sandybridge";
  return "";
}

bool sgemmMatchesReference() {
  if (env("FOLDBENCH_BLAS_FAIL_CHECK") == "1") return false;
  const auto sgemm = symbol<Sgemm>("cblas_sgemm");
  if (!sgemm) return true;  // nothing to check
  constexpr int n = 64;
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  std::vector<float> a(n * n), b(n * n), c(n * n, 0.0f);
  for (auto& x : a) x = u(rng);
  for (auto& x : b) x = u(rng);
  sgemm(101 /*row major*/, 111 /*no trans*/, 111, n, n, n, 1.0f, a.data(), n, b.data(), n, 0.0f, c.data(), n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      double reference = 0.0, scale = 0.0;
      for (int k = 0; k < n; ++k) {
        reference += static_cast<double>(a[i * n + k]) * b[k * n + j];
        scale += std::fabs(static_cast<double>(a[i * n + k]) * b[k * n + j]);
      }
      if (std::fabs(c[i * n + j] - reference) > 1e-4 * std::max(1.0, scale)) return false;
    }
  return true;
}

double measureSgemm(int n) {
  const auto sgemm = symbol<Sgemm>("cblas_sgemm");
  if (!sgemm) return 0.0;
  std::vector<float> a(static_cast<std::size_t>(n) * n, 0.5f), b(a.size(), 0.25f), c(a.size());
  double best = 0.0;
  // Virtual machines are noisy: the best of several rounds, the first one warming up.
  for (int round = 0; round < 8; ++round) {
    const auto t = std::chrono::steady_clock::now();
    sgemm(101, 111, 111, n, n, n, 1.0f, a.data(), n, b.data(), n, 0.0f, c.data(), n);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
    best = std::max(best, 2.0 * n * n * static_cast<double>(n) / s / 1e9);
  }
  return best;
}

BlasChoice chooseBlasKernels(int /*argc*/, char** argv) {
  auto& choice = decided();
  const std::string chosen = env(kChosenVariable);
  if (!chosen.empty()) {
    // The re-executed process. OpenBLAS read OPENBLAS_CORETYPE when it loaded; both variables
    // were set by this product (a user's OPENBLAS_CORETYPE is never replaced), so they go now:
    // the programs this process starts make their own choice on their own CPU (sbatch exports
    // the environment to every task, and AVX-512 kernels die with SIGILL on an AVX2 node).
    restarted = true;
    unsetenv(kCoreVariable);
    unsetenv(kChosenVariable);
    // Did the choice take, and does it compute right?
    if (chosen.rfind("fallback:", 0) == 0) {
      choice = {openblasCoreName(), "fallback", chosen.substr(9)};
      return choice;
    }
    const auto core = openblasCoreName();
    if (coreGeneration(core) > 0 && sgemmMatchesReference()) {
      choice = {core, "chosen", chosen};
      return choice;
    }
    const std::string why = "OpenBLAS's own kernels kept: " + core + " kernels failed the float64 check";
    std::fprintf(stderr, "foldbench: warning: %s\n", why.c_str());
    setenv(kChosenVariable, ("fallback:" + why).c_str(), 1);
    const auto failure = reexec(argv);
    // Carrying on would compute with kernels known to be wrong.
    std::fprintf(stderr, "foldbench: cannot restart with OpenBLAS's own kernels (%s); set FOLDBENCH_BLAS=off\n",
                 failure.c_str());
    std::_Exit(1);
  }
  const std::string mode = env("FOLDBENCH_BLAS");
  const auto core = openblasCoreName();
  if (core.empty()) {
    choice = {"", "none", "the BLAS in use is not OpenBLAS"};
    return choice;
  }
  if (mode == "off") {
    choice = {core, "off", "FOLDBENCH_BLAS=off: OpenBLAS's own choice"};
    return choice;
  }
  if (!env(kCoreVariable).empty()) {
    choice = {core, "user", "OPENBLAS_CORETYPE=" + env(kCoreVariable) + " set by the user"};
    return choice;
  }
  const auto best = bestCoreFor(detectCpu());
  if (best.empty() || coreGeneration(best) <= coreGeneration(core)) {
    choice = {core, "openblas", "OpenBLAS's own choice matches the CPU"};
    return choice;
  }
  const std::string why = "OpenBLAS chose " + core + " on a CPU that supports " + best + " kernels";
  setenv(kCoreVariable, best.c_str(), 1);
  setenv(kChosenVariable, why.c_str(), 1);
  const auto failure = reexec(argv);
  // No restart (no /proc in a container, a seccomp filter): the kernels OpenBLAS loaded with
  // compute right, only slower. Nothing of the attempt stays in the environment.
  unsetenv(kCoreVariable);
  unsetenv(kChosenVariable);
  const std::string kept = "cannot restart with " + best + " kernels (" + failure + ")";
  std::fprintf(stderr, "foldbench: warning: %s: OpenBLAS's own %s kernels kept\n", kept.c_str(), core.c_str());
  choice = {core, "openblas", "OpenBLAS's own choice kept: " + kept};
  return choice;
}

BlasChoice chooseBlasKernelsForThisProcess() {
  static std::vector<std::string> args;
  static std::vector<char*> argv;
  if (FILE* f = std::fopen("/proc/self/cmdline", "rb")) {
    std::string arg;
    for (int ch = std::fgetc(f); ch != EOF; ch = std::fgetc(f)) {
      if (ch == '\0') {
        args.push_back(arg);
        arg.clear();
      } else {
        arg.push_back(static_cast<char>(ch));
      }
    }
    std::fclose(f);
  }
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return chooseBlasKernels(static_cast<int>(args.size()), argv.data());
}

BlasChoice currentBlasChoice() { return decided(); }

std::string blasSummary() {
  const auto& c = decided();
  if (c.how.empty()) return "BLAS kernels not checked";
  if (c.how == "none") return c.reason;
  std::string config = openblasConfig();
  if (const auto space = config.find(' ', config.find(' ') + 1); space != std::string::npos) config = config.substr(0, space);
  return (config.empty() ? std::string("OpenBLAS") : config) + ", " + c.core + " kernels (" + c.reason + ")";
}

}  // namespace foldbench::platform
