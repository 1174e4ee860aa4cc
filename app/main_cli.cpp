// foldbench-cli: the headless front end over the same core as the workbench.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>
#include <exception>
#include <string>

#include "cli/args.h"
#include "cli/cluster_commands.h"
#include "foldbench/config/experiment_config.h"
#include "cli/data_commands.h"
#include "cli/export_command.h"
#include "cli/help_text.h"
#include "cli/model_commands.h"
#include "cli/runs_commands.h"
#include "cli/sweep_commands.h"
#include "cli/train_commands.h"
#include "foldbench/platform/blas_kernels.h"
#include "foldbench/text/tokenizer.h"
#include "foldbench/train/fold_trainer.h"
#include "git_revision.h"

namespace {

// What a user reports when training is slower than expected.
int doctor() {
  using namespace foldbench::platform;
  const auto cpu = detectCpu();
  const auto choice = currentBlasChoice();
  std::printf("foldbench-cli %s\n", FOLDBENCH_VERSION);
  std::printf("BLAS library   %s\n", openblasConfig().empty() ? "(not OpenBLAS)" : openblasConfig().c_str());
  std::printf("kernels        %s (%s: %s)\n", choice.core.c_str(), choice.how.c_str(), choice.reason.c_str());
  std::printf("CPU            AVX2 %s, FMA %s, AVX-512 F/BW/DQ/VL %s/%s/%s/%s; best kernel set %s\n",
              cpu.avx2 ? "yes" : "no", cpu.fma ? "yes" : "no", cpu.avx512f ? "yes" : "no", cpu.avx512bw ? "yes" : "no",
              cpu.avx512dq ? "yes" : "no", cpu.avx512vl ? "yes" : "no", bestCoreFor(cpu).c_str());
  const char* threads = std::getenv("OPENBLAS_NUM_THREADS");
  std::printf("threads        OPENBLAS_NUM_THREADS=%s, OMP_NUM_THREADS=%s, cores online %ld\n", threads ? threads : "(unset)",
              std::getenv("OMP_NUM_THREADS") ? std::getenv("OMP_NUM_THREADS") : "(unset)", sysconf(_SC_NPROCESSORS_ONLN));
  std::printf("float64 check  %s\n", sgemmMatchesReference() ? "passed" : "FAILED");
  std::printf("sgemm 1024     %.1f GFLOP/s\n", measureSgemm(1024));
  std::printf("sgemm 2048     %.1f GFLOP/s\n", measureSgemm(2048));
  return 0;
}

int version() {
  const auto device = foldbench::train::configureDevice(foldbench::config::TrainConfig{});
  std::printf("foldbench-cli %s (git %s)\nLibTorch %s, device %s\nBLAS: %s\n", FOLDBENCH_VERSION, FOLDBENCH_GIT_REVISION,
              foldbench::train::torchVersion().c_str(), device.device.c_str(), foldbench::platform::blasSummary().c_str());
  const std::string plugin = foldbench::text::spmPluginPath();
  std::printf("sentencepiece plugin: %s\n", plugin.empty() ? "not found (set FOLDBENCH_SPM_PLUGIN)" : plugin.c_str());
  if (foldbench::platform::currentBlasChoice().how == "none")
    std::fprintf(stderr,
                 "warning: the BLAS in use is not OpenBLAS; the reference BLAS trains several times slower "
                 "(install libopenblas0-openmp and select it with update-alternatives)\n");
  return 0;
}

// `train --config FILE` whose train.blas_kernels is "openblas" keeps OpenBLAS's kernels. Only
// the file is read here; a broken one is reported by `train` itself.
void applyConfigBlasSetting(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "train") != 0) return;
  for (int i = 2; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--config") != 0) continue;
    try {
      if (foldbench::config::loadConfig(argv[i + 1]).train.blasKernels == foldbench::config::BlasKernels::OpenBlas) setenv("FOLDBENCH_BLAS", "off", 1);
    } catch (const std::exception&) {
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  applyConfigBlasSetting(argc, argv);
  foldbench::platform::chooseBlasKernels(argc, argv);  // may restart the process: first of all
  using namespace foldbench::cli;
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    std::fputs(fullUsage().c_str(), argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  // "foldbench-cli export --help": that command's usage, not "--help needs a value".
  const std::string topic = helpTopic(argc, argv);
  for (int i = 2; i < argc; ++i)
    if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
      std::fputs(topicHelp(topic).c_str(), stdout);
      return 0;
    }
  // "foldbench-cli runs": the runs commands, as git lists a command's subcommands.
  if (argc == 2 && isCommandGroup(argv[1])) {
    std::fprintf(stderr, "foldbench-cli: '%s' needs a command\n\n%s", argv[1], topicHelp(topic).c_str());
    return 2;
  }
  const std::string command = argv[1];
  const std::string verb = argc > 2 ? argv[2] : "";
  try {
    if (command == "version" || command == "--version") return version();
    if (command == "doctor") return doctor();
    if (command == "data" && verb == "check") return dataCheck(Args(argc, argv, 3, {"skip-bad"}));
    if (command == "config" && verb == "init") return configInit(Args(argc, argv, 3, {"docs"}));
    if (command == "config" && verb == "docs") return configDocs(Args(argc, argv, 3, {}));
    if (command == "train") return trainCommand(Args(argc, argv, 2, {"no-track"}));
    if (command == "cluster" && !verb.empty()) return clusterCommand(verb, Args(argc, argv, 3, {"submit"}));
    if (command == "model" && !verb.empty()) return modelCommand(verb, Args(argc, argv, 3, {"ids", "force"}));
    if (command == "predict") return predictCommand(Args(argc, argv, 2, {"force"}));
    if (command == "export") return exportCommand(Args(argc, argv, 2, {"prior", "force", "no-cache"}));
    if (command == "runs" && !verb.empty()) return runsCommand(verb, Args(argc, argv, 3, {"with-files", "remove", "force", "all-params", "dry-run"}));
    if (command == "sweep" && !verb.empty()) return sweepCommand(verb, Args(argc, argv, 3, {"force", "submit"}), argv[0]);
    if (command == "data" && verb == "sample") return dataSample(Args(argc, argv, 3, {"force"}));
    if (command == "data" && verb == "split") return dataSplit(Args(argc, argv, 3, {"force"}));
    std::fprintf(stderr, "foldbench-cli: unknown command '%s%s%s'\n%s", command.c_str(), verb.empty() ? "" : " ",
                 verb.c_str(), seeHelpLine(isCommandGroup(command) ? command : "").c_str());
    return 2;
  } catch (const UsageError& e) {
    // One line and where the help is, not the whole usage above the error.
    std::fprintf(stderr, "foldbench-cli: %s\n%s", e.what(), seeHelpLine(topic).c_str());
    return 2;
  } catch (const foldbench::config::ConfigError& e) {
    std::fprintf(stderr, "foldbench-cli: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "foldbench-cli: error: %s\n", e.what());
    return 1;
  }
}
