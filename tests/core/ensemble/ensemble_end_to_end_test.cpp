// Train on the sample data, check the ensemble on out-of-fold predictions, export a
// submission: the file has one prediction per test row, in test-file order.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "foldbench/data/readers.h"
#include "foldbench/ensemble/ensemble.h"
#include "foldbench/ensemble/export_job.h"
#include "foldbench/ensemble/submission.h"
#include "foldbench/kfold/kfold_runner.h"
#include "sample_config.h"
#include "temp_dir.h"

namespace foldbench::ensemble {
namespace {

std::string trainSample(const std::string& out, const std::string& family) {
  auto c = testing::sampleConfig(out);
  c.kfold.folds = 3;
  if (family == "ngram") {
    c.model.family = config::ModelFamily::Ngram;
    c.model.ngramBucketsLog2 = 14;
    c.model.ngramDim = 32;
    c.model.mlpHidden = 64;
    c.train.learningRate = 2e-2;
    c.train.epochs = 8;
  } else {
    c.train.epochs = 6;
  }
  train::TrainingObserver quiet;
  std::atomic<bool> cancel{false};
  const auto prepared = kfold::prepareRun(c, quiet);
  const auto result = kfold::runFolds(prepared, quiet, cancel);
  kfold::writeRunFiles(prepared, result);
  EXPECT_EQ(result.status, RunStatus::Finished) << result.error;
  return prepared.runDir;
}

TEST(EnsembleEndToEnd, TwoRunsAreCheckedOutOfFoldAndExported) {
  testing::TempDir dir;
  const std::vector<RunMembers> runs = {loadRun(trainSample(dir.path(), "ngram")),
                                        loadRun(trainSample(dir.path(), "transformer"))};
  EXPECT_EQ(runs[0].folds.size(), 3u);
  EXPECT_EQ(runs[0].oof.size(), 480u);

  EnsembleOptions options;
  options.vote = Vote::Weighted;
  options.fitPrior = true;
  const auto report = evaluateOutOfFold(runs, options);
  EXPECT_EQ(report.rows, 480u);
  ASSERT_EQ(report.members.size(), 2u);
  // What fitting guarantees: never worse than the unfitted (uniform, no constant) vote on the
  // rows it was fitted on. Not more: it may well lose to the best single run.
  EnsembleOptions uniform;
  uniform.vote = Vote::Soft;
  EXPECT_GE(report.inSample.accuracy, evaluateOutOfFold(runs, uniform).inSample.accuracy - 1e-12);

  data::ReadOptions read;
  read.allowBlind = true;
  data::LoadReport loadReport;
  data::LabelMap labels = runs[0].labels;
  const auto test = data::loadDataset(FOLDBENCH_SOURCE_DIR "/resources/sample/test.tsv", data::DatasetFormat::Auto,
                                      labels, read, loadReport);
  const auto prediction = predictTest(runs, test.rows, options, report);
  EXPECT_EQ(prediction.members, 6);
  ASSERT_EQ(prediction.predicted.size(), test.rows.size());

  Submission s;
  for (const auto& r : test.rows) s.ids.push_back(r.id);
  s.predicted = prediction.predicted;
  s.probabilities = prediction.probabilities;
  writeSubmission(dir.file("submission.csv"), SubmissionFormat::Pstage, s, labels, s.ids, false);
  std::ifstream in(dir.file("submission.csv"));
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "pred");
  int rows = 0;
  while (std::getline(in, line)) {
    const int id = std::stoi(line);
    EXPECT_GE(id, 0);
    EXPECT_LT(id, labels.size());
    ++rows;
  }
  EXPECT_EQ(rows, 120);

  // Hard voting over the two runs gives a decision for every row too.
  options.vote = Vote::Hard;
  const auto hard = predictTest(runs, test.rows, options, evaluateOutOfFold(runs, options));
  EXPECT_EQ(hard.predicted.size(), test.rows.size());
}

TEST(EnsembleEndToEnd, TestPredictionsAreCachedPerRunAndTestFile) {
  testing::TempDir dir;
  const auto runDir = trainSample(dir.path(), "transformer");
  std::filesystem::copy_file(FOLDBENCH_SOURCE_DIR "/resources/sample/test.tsv", dir.file("test.tsv"));
  LoadedRuns runs;
  runs.runs = {loadRun(runDir)};
  runs.trackerIds = {0};
  ExportRequest request;
  request.testPath = dir.file("test.tsv");
  request.outPath = dir.file("a.csv");
  const auto cold = runExport(runs, request);
  EXPECT_EQ(cold.prediction.checkpointsLoaded, 3);
  ASSERT_EQ(cold.prediction.cacheFiles.size(), 1u);
  EXPECT_TRUE(std::filesystem::exists(cold.prediction.cacheFiles[0]));

  // Another vote on the same file: no checkpoint is read, and the decisions are the same.
  request.outPath = dir.file("b.csv");
  request.options.vote = Vote::Hard;
  const auto warm = runExport(runs, request);
  EXPECT_EQ(warm.prediction.checkpointsLoaded, 0);
  EXPECT_EQ(warm.prediction.predicted, cold.prediction.predicted);  // one run: hard = its argmax

  // The test file changes: the cache no longer matches and the checkpoints are read again.
  {
    std::ofstream more(dir.file("test.tsv"), std::ios::app);
    more << "extra-0\t서울에 사는 김민수는 교사이다.\t김민수\t7\t9\t교사\t12\t13\tblind\n";
  }
  request.outPath = dir.file("c.csv");
  const auto changed = runExport(runs, request);
  EXPECT_EQ(changed.prediction.checkpointsLoaded, 3);
  EXPECT_EQ(changed.rows, cold.rows + 1);

  // An existing output is refused before any prediction, and kept.
  request.overwrite = false;
  const auto before = std::filesystem::last_write_time(dir.file("c.csv"));
  EXPECT_THROW(runExport(runs, request), std::runtime_error);
  EXPECT_EQ(std::filesystem::last_write_time(dir.file("c.csv")), before);

  // Cancelled before the first checkpoint: nothing written.
  request.outPath = dir.file("d.csv");
  request.useCache = false;
  std::atomic<bool> cancel{true};
  EXPECT_THROW(runExport(runs, request, {}, &cancel), PredictionCancelled);
  EXPECT_FALSE(std::filesystem::exists(dir.file("d.csv")));
}

TEST(EnsembleEndToEnd, ARetrainedFoldIsPredictedAgainNotReadFromTheCache) {
  // A resubmission retrains a fold and overwrites its best.pt: the cached predictions of the
  // old checkpoint must not be reused for the new one.
  testing::TempDir dir;
  const auto runDir = trainSample(dir.path(), "ngram");
  LoadedRuns runs;
  runs.runs = {loadRun(runDir)};
  runs.trackerIds = {0};
  ASSERT_EQ(runs.runs[0].folds.size(), 3u);
  ExportRequest request;
  request.testPath = FOLDBENCH_SOURCE_DIR "/resources/sample/test.tsv";
  request.outPath = dir.file("a.csv");
  EXPECT_EQ(runExport(runs, request).prediction.checkpointsLoaded, 3);

  // "Retrain" fold 0: its checkpoint is now another model (fold 1's).
  std::filesystem::copy_file(runs.runs[0].folds[1].checkpoint, runs.runs[0].folds[0].checkpoint,
                             std::filesystem::copy_options::overwrite_existing);
  request.outPath = dir.file("b.csv");
  const auto after = runExport(runs, request);
  EXPECT_GT(after.prediction.checkpointsLoaded, 0) << "the old fold 0 predictions were read from the cache";

  request.outPath = dir.file("c.csv");
  request.useCache = false;
  const auto fresh = runExport(runs, request);
  EXPECT_TRUE(after.prediction.probabilities == fresh.prediction.probabilities) << "stale fold 0 probabilities";
}

TEST(EnsembleEndToEnd, RunsWithDifferentLabelMapsAreRefused) {
  RunMembers a, b;
  a.uid = "a";
  b.uid = "b";
  a.labels = data::LabelMap::fromNames({"x", "y"});
  b.labels = data::LabelMap::fromNames({"y", "x"});
  a.oofIds = b.oofIds = {"r"};
  a.oofGold = b.oofGold = {0};
  a.oof = b.oof = {{0.5f, 0.5f}};
  EXPECT_THROW(evaluateOutOfFold({a, b}, {}), std::runtime_error);
}

}  // namespace
}  // namespace foldbench::ensemble
