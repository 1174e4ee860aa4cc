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
#include "cli/runs_commands.h"
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

const char* kUsage =
    "usage: foldbench-cli <command> [options]\n"
    "\n"
    "  data check FILE [--labels FILE] [--format auto|tsv|json|csv] [--skip-bad]\n"
    "                  [--tokenizer MODEL] [--max-len N] [--input-format pair|markers|typed|punct]\n"
    "      Reads a dataset, repairs entity offsets, prints rows, label histogram, repairs,\n"
    "      problems and length statistics. Exit 0 when usable.\n"
    "  data split FILE --out DIR [--labels FILE] [--ratio R] [--seed N] [--force]\n"
    "      Holds out a stratified share of the rows (default 0.1, seed 42; the same rows on every\n"
    "      machine): DIR/train.tsv to train on, DIR/holdout.tsv to judge the trained ensemble with.\n"
    "  data sample --out DIR [--force] [--seed N]\n"
    "      Writes the synthetic Korean sample dataset (train.tsv, test.tsv, labels.tsv).\n"
    "  config init [--preset sample|klue-re-scratch|klue-re-best] [--docs]\n"
    "      Prints a full experiment config (with field documentation when --docs).\n"
    "  config docs\n"
    "      Prints the reference of every config field as Markdown (docs/CONFIG.md).\n"
    "  train [--config FILE | --preset NAME] [--train FILE] [--labels FILE] [--fold K] [--out DIR]\n"
    "        [--name NAME] [--epochs N] [--threads N] [--db PATH] [--tag T,T] [--note TEXT]\n"
    "        [--experiment NAME] [--no-track]\n"
    "      Trains the folds, writes checkpoints, summary.json and oof.tsv; prints run_id=<id> last.\n"
    "      Runs go to --out DIR (relative to the working directory), else to the config's\n"
    "      run.output_dir, which when relative is relative to the tracker database's folder.\n"
    "  cluster slurm [--config FILE | --preset NAME] [train's data and tracking options]\n"
    "                [--cpus N] [--gpus N] [--mem SIZE] [--partition P] [--time T] [--submit]\n"
    "      Prepares the run here (data check, tokenizer), records it queued and writes a Slurm job\n"
    "      array (one task per fold) and a merge job into <run>/slurm; --submit runs its submit.sh.\n"
    "  cluster fold --run DIR [--fold K] [--db PATH] | cluster merge --run DIR [--db PATH]\n"
    "  cluster queue --run DIR [--db PATH]\n"
    "      What the jobs run: one fold (K from SLURM_ARRAY_TASK_ID), recorded in <run>/fold-K.db and\n"
    "      written only into the run folder; the merge into summary.json, oof.tsv and the tracker;\n"
    "      queue marks the run queued again.\n"
    "  cluster status --run DIR [--db PATH]\n"
    "      Each fold task's state, the run's jobs in Slurm's queue (squeue) and its tracker status;\n"
    "      a run none of whose jobs is queued any more while its merge never ran is marked failed.\n"
    "  predict --run DIR --test FILE --out FILE [--force]\n"
    "      Class probabilities for every test row, averaged over the run's fold checkpoints.\n"
    "  runs list [--filter EXPR] [--sort FIELD] [--limit N] [--columns F,F] [--format table|csv|json]\n"
    "  runs show ID | runs compare ID ID... [--all-params] | runs export ID [--format csv|json] [--out FILE]\n"
    "  runs import FILE | runs delete ID [--with-files] | runs tag ID TAG... [--remove] | runs note ID TEXT\n"
    "  runs prune [ID...] [--filter EXPR] [--keep-best N [--by FIELD]] [--dry-run]\n"
    "      Deletes the checkpoints of the selected runs (never a running run's, never outside its own\n"
    "      directory), keeping metrics, configs and out-of-fold predictions; --keep-best N spares the\n"
    "      first N in --by order (default -cv/val/acc/mean). A pruned run can no longer predict.\n"
    "      The run tracker (all take --db PATH; default: experiments.db in the working directory when\n"
    "      it has one, else $XDG_DATA_HOME/foldbench/experiments.db). Filters: e.g.\n"
    "      'cv/val/acc/mean > 0.6 and status = finished and tag = baseline', 'params.model.family = ngram'.\n"
    "      Column 'size' shows each run's bytes on disk.\n"
    "  export --run ID[,ID...] --test FILE --out FILE [--vote soft|hard|weighted] [--weights oof|val]\n"
    "         [--prior] [--fit accuracy|micro_f1] [--format pstage|klue|generic] [--probs FILE] [--db PATH]\n"
    "         [--force] [--no-cache]\n"
    "      Checks the ensemble on out-of-fold predictions (in sample and cross-fitted), then writes a\n"
    "      submission file. Test predictions are cached per run and test file. A test file whose\n"
    "      rows are all labelled (a holdout from data split) is scored too.\n"
    "  version | doctor\n"
    "      The version, git revision, LibTorch and its device, and the BLAS in use (warns when it is\n"
    "      not OpenBLAS); doctor also measures sgemm and checks it against float64.\n";


// `train --config FILE` whose train.blas_kernels is "openblas" keeps OpenBLAS's kernels. Only
// the file is read here; a broken one is reported by `train` itself.
void applyConfigBlasSetting(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "train") != 0) return;
  for (int i = 2; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--config") != 0) continue;
    try {
      if (foldbench::config::loadConfig(argv[i + 1]).train.blasKernels == "openblas") setenv("FOLDBENCH_BLAS", "off", 1);
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
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  // "foldbench-cli export --help": usage, not "--help needs a value".
  for (int i = 2; i < argc; ++i)
    if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
      std::fputs(kUsage, stdout);
      return 0;
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
    if (command == "predict") return predictCommand(Args(argc, argv, 2, {"force"}));
    if (command == "export") return exportCommand(Args(argc, argv, 2, {"prior", "force", "no-cache"}));
    if (command == "runs" && !verb.empty()) return runsCommand(verb, Args(argc, argv, 3, {"with-files", "remove", "force", "all-params", "dry-run"}));
    if (command == "data" && verb == "sample") return dataSample(Args(argc, argv, 3, {"force"}));
    if (command == "data" && verb == "split") return dataSplit(Args(argc, argv, 3, {"force"}));
    std::fprintf(stderr, "foldbench-cli: unknown command '%s%s%s'\n\n%s", command.c_str(), verb.empty() ? "" : " ",
                 verb.c_str(), kUsage);
    return 2;
  } catch (const UsageError& e) {
    std::fprintf(stderr, "foldbench-cli: %s\n\n%s", e.what(), kUsage);
    return 2;
  } catch (const foldbench::config::ConfigError& e) {
    std::fprintf(stderr, "foldbench-cli: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "foldbench-cli: error: %s\n", e.what());
    return 1;
  }
}
