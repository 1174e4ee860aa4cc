// The BLAS kernel choice, tested on a real process (foldbench-cli, which loads OpenBLAS through
// LibTorch) with the environment a user or the test hooks set.
#include "foldbench/platform/blas_kernels.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <string>

#include "foldbench/config/experiment_config.h"
#include "sample_config.h"
#include "temp_dir.h"

namespace foldbench::platform {
namespace {

// `foldbench-cli version` run with `environment` prefixed; stdout and stderr.
std::string versionWith(const std::string& environment) {
  const std::string command = "env -u OPENBLAS_CORETYPE -u FOLDBENCH_BLAS -u FOLDBENCH_BLAS_CHOSEN " + environment + " " +
                              FOLDBENCH_CLI + " version 2>&1";
  std::string out;
  if (FILE* p = popen(command.c_str(), "r")) {
    std::array<char, 512> buffer{};
    while (fgets(buffer.data(), buffer.size(), p)) out += buffer.data();
    pclose(p);
  }
  return out;
}

bool usesOpenBlas() { return versionWith("").find("OpenBLAS") != std::string::npos; }

TEST(BlasKernels, KernelGenerationsAndTheBestSetForACpu) {
  EXPECT_EQ(coreGeneration("Prescott"), 0);
  EXPECT_EQ(coreGeneration("Sandybridge"), 1);
  EXPECT_EQ(coreGeneration("Haswell"), 2);
  EXPECT_EQ(coreGeneration("Zen"), 2);
  EXPECT_EQ(coreGeneration("SkylakeX"), 3);
  EXPECT_EQ(coreGeneration("Cooperlake"), 3);
  CpuFeatures cpu;
  EXPECT_EQ(bestCoreFor(cpu), "");
  cpu.avx = true;
  EXPECT_EQ(bestCoreFor(cpu), "Sandybridge");
  cpu.avx2 = cpu.fma = true;
  EXPECT_EQ(bestCoreFor(cpu), "Haswell");
  cpu.avx512f = cpu.avx512bw = cpu.avx512dq = true;
  EXPECT_EQ(bestCoreFor(cpu), "Haswell");  // without VL, not the AVX-512 kernels
  cpu.avx512vl = true;
  EXPECT_EQ(bestCoreFor(cpu), "SkylakeX");
}

TEST(BlasKernels, AFallbackToOldKernelsIsReplacedByTheBestTheCpuSupports) {
  if (!usesOpenBlas()) GTEST_SKIP() << "the BLAS in this process is not OpenBLAS";
  const auto best = bestCoreFor(detectCpu());
  if (best.empty()) GTEST_SKIP() << "this CPU has no AVX";
  const auto out = versionWith("FOLDBENCH_BLAS_ASSUME_CORE=Prescott");
  EXPECT_NE(out.find(best + " kernels (OpenBLAS chose Prescott"), std::string::npos) << out;
}

TEST(BlasKernels, AUsersOpenblasCoretypeIsRespected) {
  if (!usesOpenBlas()) GTEST_SKIP() << "the BLAS in this process is not OpenBLAS";
  const auto out = versionWith("OPENBLAS_CORETYPE=Haswell");
  EXPECT_NE(out.find("Haswell kernels (OPENBLAS_CORETYPE=Haswell set by the user)"), std::string::npos) << out;
}

TEST(BlasKernels, TheMechanismCanBeTurnedOff) {
  if (!usesOpenBlas()) GTEST_SKIP() << "the BLAS in this process is not OpenBLAS";
  const auto out = versionWith("FOLDBENCH_BLAS=off FOLDBENCH_BLAS_ASSUME_CORE=Prescott");
  EXPECT_NE(out.find("FOLDBENCH_BLAS=off: OpenBLAS's own choice"), std::string::npos) << out;
  EXPECT_EQ(out.find("OpenBLAS chose"), std::string::npos) << out;
}

TEST(BlasKernels, AFailedCheckGoesBackToOpenblasOwnChoiceAndWarnsOnce) {
  if (!usesOpenBlas()) GTEST_SKIP() << "the BLAS in this process is not OpenBLAS";
  if (bestCoreFor(detectCpu()).empty()) GTEST_SKIP() << "this CPU has no AVX";
  const auto own = versionWith("FOLDBENCH_BLAS=off");  // OpenBLAS's own choice, on any machine
  const auto out = versionWith("FOLDBENCH_BLAS_ASSUME_CORE=Prescott FOLDBENCH_BLAS_FAIL_CHECK=1");
  EXPECT_NE(out.find("failed the float64 check"), std::string::npos) << out;
  std::size_t warnings = 0;
  for (auto at = out.find("warning:"); at != std::string::npos; at = out.find("warning:", at + 1)) ++warnings;
  EXPECT_EQ(warnings, 1u) << out;
  // Back on OpenBLAS's own kernels: the same core name as without any hook.
  const auto core = [](const std::string& text) {
    const auto start = text.find(", ") + 2;
    return text.substr(start, text.find(" kernels", start) - start);
  };
  EXPECT_EQ(core(out), core(own)) << out << own;
}

// `foldbench-cli version` where /proc holds nothing but cpuinfo (LibTorch reads it), as in a
// container without /proc/self/exe: the restart with better kernels cannot happen. Needs a
// mount namespace (unshare -rm); empty when there is none.
std::string versionWithoutProcSelf(const std::string& environment, int& status) {
  const std::string inner = "cat /proc/cpuinfo > \"$0\" && mount -t tmpfs none /proc && cp \"$0\" /proc/cpuinfo && "
                            "exec env -u OPENBLAS_CORETYPE -u FOLDBENCH_BLAS -u FOLDBENCH_BLAS_CHOSEN " +
                            environment + " " + FOLDBENCH_CLI + " version";
  testing::TempDir dir;
  const std::string command = "unshare -rm sh -c '" + inner + "' " + dir.file("cpuinfo") + " 2>&1";
  std::string out;
  status = -1;
  if (FILE* p = popen(command.c_str(), "r")) {
    std::array<char, 512> buffer{};
    while (fgets(buffer.data(), buffer.size(), p)) out += buffer.data();
    status = pclose(p);
  }
  return out;
}

TEST(BlasKernels, WhenItCannotRestartItCarriesOnWithOpenblasOwnKernels) {
  if (!usesOpenBlas()) GTEST_SKIP() << "the BLAS in this process is not OpenBLAS";
  if (bestCoreFor(detectCpu()).empty()) GTEST_SKIP() << "this CPU has no AVX";
  int status = 0;
  const auto own = versionWithoutProcSelf("FOLDBENCH_BLAS=off", status);
  if (status != 0 || own.find("BLAS: ") == std::string::npos)
    GTEST_SKIP() << "no mount namespace to hide /proc/self/exe in (unshare -rm): " << own;
  const auto best = bestCoreFor(detectCpu());
  const auto out = versionWithoutProcSelf("FOLDBENCH_BLAS_ASSUME_CORE=Prescott", status);
  EXPECT_EQ(status, 0) << out;
  std::size_t warnings = 0;
  for (auto at = out.find("warning:"); at != std::string::npos; at = out.find("warning:", at + 1)) ++warnings;
  EXPECT_EQ(warnings, 1u) << out;
  EXPECT_NE(out.find("warning: cannot restart with " + best + " kernels"), std::string::npos) << out;
  // The kernels OpenBLAS loaded with (here the ones the test hook says it chose) stay in use.
  EXPECT_NE(out.find("Prescott kernels (OpenBLAS's own choice kept: cannot restart with " + best), std::string::npos)
      << out;
}

TEST(BlasKernels, AConfigCanKeepOpenblasOwnKernelsForATrainingRun) {
  if (!usesOpenBlas()) GTEST_SKIP() << "the BLAS in this process is not OpenBLAS";
  if (bestCoreFor(detectCpu()).empty()) GTEST_SKIP() << "this CPU has no AVX";
  testing::TempDir dir;
  auto c = testing::sampleConfig(dir.file("runs"));
  c.kfold.folds = 2;
  c.model.layers = 1;
  c.model.hidden = 32;
  c.model.feedForward = 64;
  c.train.epochs = 1;
  const auto train = [&](const std::string& kernels) {
    c.train.blasKernels = enumFromString<config::BlasKernels>(kernels);
    config::saveConfig(c, dir.file(kernels + ".json"));
    std::string out;
    const std::string command = "env -u OPENBLAS_CORETYPE -u FOLDBENCH_BLAS -u FOLDBENCH_BLAS_CHOSEN XDG_CACHE_HOME=" +
                                dir.file("cache") + " FOLDBENCH_BLAS_ASSUME_CORE=Prescott " + FOLDBENCH_CLI +
                                " train --no-track --config " + dir.file(kernels + ".json") + " 2>/dev/null";
    if (FILE* p = popen(command.c_str(), "r")) {
      std::array<char, 512> buffer{};
      while (fgets(buffer.data(), buffer.size(), p)) out += buffer.data();
      pclose(p);
    }
    return out;
  };
  const auto kept = train("openblas");
  EXPECT_NE(kept.find("BLAS OpenBLAS"), std::string::npos) << kept;
  EXPECT_NE(kept.find("FOLDBENCH_BLAS=off"), std::string::npos) << kept;
  const auto chosen = train("auto");
  EXPECT_NE(chosen.find("OpenBLAS chose Prescott"), std::string::npos) << chosen;
}

}  // namespace
}  // namespace foldbench::platform
