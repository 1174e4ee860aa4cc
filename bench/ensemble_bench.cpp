// Prediction throughput of a 5-fold ensemble on the shared competition test file, for each
// model family: trains one-epoch 5-fold runs (quality does not matter here), then times
// checking and predicting the 1,000 test rows with all five fold checkpoints.
// First, without data: greedy ensemble selection (--weights greedy) over 100 synthetic runs x
// 8,000 out-of-fold rows x 42 classes, alone and inside the 5-fold cross-fitting.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>

#include "foldbench/platform/blas_kernels.h"
#include "foldbench/data/readers.h"
#include "foldbench/ensemble/ensemble.h"
#include "foldbench/kfold/kfold_runner.h"

using namespace foldbench;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// Runs of graded quality: each leans toward the gold class by its own amount, over noise that
// is partly shared by all runs (rows every run finds hard), so the ensemble gains but stays
// far from perfect, as real runs do.
void greedySelectionCase() {
  const std::size_t runs = 100, rows = 8000, classes = 42, folds = 5;
  std::mt19937 rng(2004);
  std::normal_distribution<float> noise(0.0f, 1.0f);
  std::uniform_int_distribution<int> label(0, static_cast<int>(classes) - 1);
  std::vector<ensemble::RunMembers> members(runs);
  std::vector<int> gold(rows);
  for (auto& g : gold) g = label(rng);
  std::vector<float> shared(rows * classes);
  for (auto& v : shared) v = 1.2f * noise(rng);
  for (std::size_t r = 0; r < runs; ++r) {
    auto& run = members[r];
    run.uid = "run" + std::to_string(r);
    run.labels = data::LabelMap::fromNames([&] {
      std::vector<std::string> names;
      for (std::size_t c = 0; c < classes; ++c) names.push_back("class" + std::to_string(c));
      return names;
    }());
    run.folds = {{0, "", 0.5}};
    const float lean = 2.0f + 1.5f * static_cast<float>(r) / static_cast<float>(runs);
    for (std::size_t i = 0; i < rows; ++i) {
      run.oofIds.push_back("r" + std::to_string(i));
      run.oofGold.push_back(gold[i]);
      run.oofFolds.push_back(static_cast<int>(i % folds));
      std::vector<float> p(classes);
      float total = 0.0f;
      for (std::size_t c = 0; c < classes; ++c) {
        p[c] = std::exp(shared[i * classes + c] + noise(rng) + (static_cast<int>(c) == gold[i] ? lean : 0.0f));
        total += p[c];
      }
      for (float& v : p) v /= total;
      run.oof.push_back(std::move(p));
    }
  }
  std::vector<ensemble::Probabilities> library;
  for (const auto& run : members) library.push_back(run.oof);
  ensemble::GreedyOptions fixed;
  fixed.rounds = 50;
  fixed.patience = 0;  // a fixed amount of work: 50 rounds x 100 candidates
  auto start = Clock::now();
  const auto selection = ensemble::greedySelect(library, gold, ensemble::FitMetric::Accuracy, -1, fixed);
  const double alone = secondsSince(start);
  std::size_t selected = 0;
  for (int c : selection.counts) selected += c > 0;
  std::printf("greedy selection, %zu runs x %zu rows x %zu classes: 50 rounds in %.2f s (%.1f ms a round of %zu "
              "candidates); best prefix %zu additions of %zu runs, accuracy %.4f\n",
              runs, rows, classes, alone, 1000.0 * alone / 50.0, runs, selection.order.size(), selected, selection.score);
  ensemble::EnsembleOptions options;
  start = Clock::now();
  ensemble::evaluateOutOfFold(members, options);
  std::printf("for scale: the soft vote's out-of-fold check (nothing fitted) %.2f s\n", secondsSince(start));
  options.vote = ensemble::Vote::Weighted;
  options.runWeights = ensemble::RunWeights::Greedy;  // default rounds and patience, as export uses them
  start = Clock::now();
  const auto report = ensemble::evaluateOutOfFold(members, options);
  std::printf("--weights greedy out-of-fold check (all rows + %zu cross-fitted folds, default 50 rounds, patience 10): "
              "%.2f s; in sample %.4f, cross-fitted %.4f, best run %.4f\n",
              folds, secondsSince(start), report.inSample.accuracy, report.crossFitted.accuracy,
              report.members[report.bestMember].accuracy);
}

}  // namespace

int main(int argc, char** argv) {
  foldbench::platform::chooseBlasKernels(argc, argv);  // may restart the process
  greedySelectionCase();
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
      c.input.format = text::InputFormat::EntityMarkers;
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
