// Prediction throughput of a 5-fold ensemble on the shared competition test file, for each
// model family: trains one-epoch 5-fold runs (quality does not matter here), then times
// checking and predicting the 1,000 test rows with all five fold checkpoints.
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "foldbench/platform/blas_kernels.h"
#include "foldbench/data/readers.h"
#include "foldbench/ensemble/ensemble.h"
#include "foldbench/kfold/kfold_runner.h"

using namespace foldbench;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  foldbench::platform::chooseBlasKernels(argc, argv);  // may restart the process
  const std::string dir = argc > 1 ? argv[1] : FOLDBENCH_SOURCE_DIR "/../shared/data/klue-re-pstage";
  if (!std::filesystem::exists(dir + "/test.tsv")) {
    std::printf("SKIP: %s/test.tsv not found\n", dir.c_str());
    return 0;
  }
  const auto work = std::filesystem::temp_directory_path() / "foldbench-bench-ensemble";
  std::filesystem::remove_all(work);
  data::ReadOptions read;
  read.allowBlind = true;
  data::LoadReport report;
  data::LabelMap labels = data::LabelMap::readFile(dir + "/labels.tsv");
  const auto test = data::loadDataset(dir + "/test.tsv", data::DatasetFormat::Auto, labels, read, report);

  for (const std::string family : {"ngram", "transformer"}) {
    auto c = config::preset("klue-re-scratch");
    c.data.trainPath = dir + "/train.tsv";
    c.data.labelsPath = dir + "/labels.tsv";
    c.run.outputDir = work.string();
    c.train.epochs = 1;
    if (family == "transformer") {
      // A small encoder keeps the bench short; prediction cost scales with its size.
      c.model.family = config::ModelFamily::Transformer;
      c.model.layers = 2;
      c.model.hidden = 128;
      c.model.feedForward = 512;
      c.input.format = "markers";
      c.train.learningRate = 5e-4;
    }
    train::TrainingObserver quiet;
    std::atomic<bool> cancel{false};
    const auto prepared = kfold::prepareRun(c, quiet);
    const auto result = kfold::runFolds(prepared, quiet, cancel);
    kfold::writeRunFiles(prepared, result);
    const std::vector<ensemble::RunMembers> runs = {ensemble::loadRun(prepared.runDir)};
    const ensemble::EnsembleOptions options;
    const auto oof = ensemble::evaluateOutOfFold(runs, options);
    ensemble::predictTest(runs, {test.rows.begin(), test.rows.begin() + 50}, options, oof);  // warm-up
    const auto start = Clock::now();
    const auto prediction = ensemble::predictTest(runs, test.rows, options, oof);
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("%-12s (%s) 5-fold ensemble: %zu test rows in %.2f s = %.0f rows/s (%d checkpoints, encoding included)\n",
                family.c_str(), family == "ngram" ? "klue-re-scratch preset" : "2 layers, 128 wide", test.rows.size(), seconds, static_cast<double>(test.rows.size()) / seconds,
                prediction.members);
  }
  std::filesystem::remove_all(work);
  return 0;
}
