// foldbench-bench-export: an ensemble export, cold and warm. Trains three `sample`-preset runs
// (two transformer, one n-gram; 5 folds each), then exports their ensemble on the shared
// competition test file (1,000 rows; the sample test file when ../shared is absent):
//  - cold: every fold checkpoint is read and predicts, and each run's prediction cache is
//    written;
//  - warm: another vote on the same file, served by the caches (target: under 1 s).
// Usage: build/bin/foldbench-bench-export
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "foldbench/config/experiment_config.h"
#include "foldbench/platform/blas_kernels.h"
#include "foldbench/ensemble/export_job.h"
#include "foldbench/recording/tracked_run.h"

using namespace foldbench;

namespace {

double secondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  foldbench::platform::chooseBlasKernels(argc, argv);  // may restart the process
  const auto scratch = std::filesystem::temp_directory_path() / "foldbench-bench-export";
  std::filesystem::remove_all(scratch);
  std::filesystem::create_directories(scratch);
  const std::string db = (scratch / "experiments.db").string();
  const std::string sample = FOLDBENCH_SOURCE_DIR "/resources/sample/";
  std::string test = FOLDBENCH_SOURCE_DIR "/../shared/data/klue-re-pstage/test.tsv";
  if (!std::filesystem::exists(test)) {
    std::printf("the shared test file is absent: using the sample test file\n");
    test = sample + "test.tsv";
  }
  std::vector<std::string> keys;
  using config::ModelFamily;
  for (const auto family : {ModelFamily::Transformer, ModelFamily::Transformer, ModelFamily::Ngram}) {
    auto c = config::preset("sample");
    c.data.trainPath = sample + "train.tsv";
    c.data.labelsPath = sample + "labels.tsv";
    c.data.testPath = test;
    c.run.outputDir = (scratch / "runs").string();
    c.model.family = family;
    c.train.epochs = 5;
    c.train.seed = 77 + keys.size();
    if (c.model.family == config::ModelFamily::Ngram) c.train.learningRate = 2e-2;
    train::TrainingObserver quiet;
    std::atomic<bool> cancel{false};
    recording::TrackedRunOptions options;
    options.databasePath = db;
    const auto t = std::chrono::steady_clock::now();
    const auto run = recording::trainTracked(c, quiet, cancel, options);
    std::printf("trained %s run %s in %.1f s\n", family, run.result.runId.c_str(), secondsSince(t));
    keys.push_back(run.runDir);
  }
  const auto runs = ensemble::loadExportRuns(keys, db);
  ensemble::ExportRequest request;
  request.testPath = test;
  request.database = db;
  request.options.vote = ensemble::Vote::Soft;
  request.outPath = (scratch / "cold.csv").string();
  auto t = std::chrono::steady_clock::now();
  const auto cold = ensemble::runExport(runs, request);
  const double coldSeconds = secondsSince(t);
  request.options.vote = ensemble::Vote::Weighted;
  request.options.fitPrior = true;
  request.outPath = (scratch / "warm.csv").string();
  t = std::chrono::steady_clock::now();
  const auto warm = ensemble::runExport(runs, request);
  const double warmSeconds = secondsSince(t);
  std::printf("\nexport of %zu test rows, 3 runs x 5 folds\n", cold.rows);
  std::printf("  cold: %5.2f s (%d checkpoints read)\n", coldSeconds, cold.prediction.checkpointsLoaded);
  std::printf("  warm: %5.2f s (%d checkpoints read; another vote, served by the caches)\n", warmSeconds,
              warm.prediction.checkpointsLoaded);
  std::printf("  warm / cold: %.3f; warm / 1 s target: %.2f\n", warmSeconds / coldSeconds, warmSeconds / 1.0);
  std::filesystem::remove_all(scratch);
  return warm.prediction.checkpointsLoaded == 0 ? 0 : 1;
}
