// The out-of-fold estimate without training: planted leaks, gold-label checks, and the same
// combination on out-of-fold rows and on test rows (through the prediction cache).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <fstream>

#include "foldbench/analysis/oof_predictions.h"
#include "foldbench/ensemble/ensemble.h"
#include "foldbench/kfold/kfold_runner.h"
#include "prediction_cache.h"
#include "temp_dir.h"

namespace foldbench::ensemble {
namespace {

// A run over rows r0..r{n-1}: fold[i], gold[i] and probabilities from `probability(i)`.
RunMembers fakeRun(const std::string& uid, const std::vector<int>& folds, const std::vector<int>& gold,
                   const std::function<std::vector<float>(std::size_t)>& probability) {
  RunMembers run;
  run.uid = uid;
  run.labels = data::LabelMap::fromNames({"관계_없음", "a", "b"});
  for (std::size_t i = 0; i < gold.size(); ++i) {
    run.oofIds.push_back("r" + std::to_string(i));
    run.oofGold.push_back(gold[i]);
    run.oofFolds.push_back(folds[i]);
    run.oof.push_back(probability(i));
  }
  run.folds = {{0, "never-opened.pt", 0.6}};
  return run;
}

TEST(OutOfFold, CrossFittingDoesNotRewardAConstantFittedOnTheRowsItScores) {
  // Fold 0: 60 no-relation rows the model leans slightly against (a positive constant on
  // no-relation would fix them). Fold 1: 40 relation rows that the same constant would break.
  // Fitted on all rows the constant looks great; fitted on the other fold it never helps.
  std::vector<int> folds, gold;
  for (int i = 0; i < 60; ++i) folds.push_back(0), gold.push_back(0);
  for (int i = 0; i < 40; ++i) folds.push_back(1), gold.push_back(1);
  const auto run = fakeRun("leaky", folds, gold, [](std::size_t) { return std::vector<float>{0.45f, 0.55f, 0.0f}; });
  EnsembleOptions options;
  options.fitPrior = true;
  const auto report = evaluateOutOfFold({run}, options);
  EXPECT_TRUE(report.fitted);
  EXPECT_GT(report.noRelationBias, 0.1);
  EXPECT_DOUBLE_EQ(report.members[0].accuracy, 0.4);
  EXPECT_DOUBLE_EQ(report.inSample.accuracy, 0.6);    // the leak: fitted and scored on the same rows
  EXPECT_DOUBLE_EQ(report.crossFitted.accuracy, 0.0);  // each fold decided with the other fold's constant
  EXPECT_LT(report.crossFitted.accuracy, report.members[0].accuracy);

  // Nothing fitted: both figures are the same estimate.
  options.fitPrior = false;
  const auto plain = evaluateOutOfFold({run}, options);
  EXPECT_FALSE(plain.fitted);
  EXPECT_DOUBLE_EQ(plain.inSample.accuracy, plain.crossFitted.accuracy);
}

TEST(OutOfFold, GreedySelectionNeverSeesTheRowsItIsScoredOn) {
  // Honest run H is right on rows with i % 4 != 0 (0.6 on its class). Run L leaks fold 0's
  // labels: 0.9 on the gold class there; on fold 1 it is confidently wrong where H is right
  // with i % 4 == 1 and uniform elsewhere. On all rows H+L (fold 0 all right, fold 1 20 of 40)
  // beats H alone (75 of 100), so the in-sample selection takes L. Fold 0's rows must be
  // decided by a selection made on fold 1 only, where L only hurts: H alone, 45 of 60.
  std::vector<int> folds, gold;
  for (int i = 0; i < 100; ++i) folds.push_back(i < 60 ? 0 : 1), gold.push_back(i % 3);
  const auto oneHot = [](int cls, float p) {
    std::vector<float> row(3, (1.0f - p) / 2.0f);
    row[static_cast<std::size_t>(cls)] = p;
    return row;
  };
  const auto honest = fakeRun("H", folds, gold, [&](std::size_t i) {
    return oneHot(i % 4 != 0 ? gold[i] : (gold[i] + 1) % 3, 0.6f);
  });
  const auto leak = fakeRun("L", folds, gold, [&](std::size_t i) {
    if (folds[i] == 0) return oneHot(gold[i], 0.9f);
    if (i % 4 == 1) return oneHot((gold[i] + 1) % 3, 0.9f);
    return std::vector<float>(3, 1.0f / 3.0f);
  });
  EnsembleOptions options;
  options.vote = Vote::Weighted;
  options.runWeights = RunWeights::Greedy;
  const auto report = evaluateOutOfFold({honest, leak}, options);
  ASSERT_TRUE(report.fitted);
  const auto accuracyOn = [&](const std::vector<int>& predicted, int fold) {
    std::size_t right = 0, rows = 0;
    for (std::size_t i = 0; i < predicted.size(); ++i)
      if (folds[i] == fold) ++rows, right += predicted[i] == gold[i];
    return static_cast<double>(right) / static_cast<double>(rows);
  };
  EXPECT_DOUBLE_EQ(report.members[0].accuracy, 0.75);
  EXPECT_GE(report.selectionCounts.at(1), 1) << "in sample the leak is selected";
  EXPECT_DOUBLE_EQ(accuracyOn(report.inSamplePredicted, 0), 1.0);
  EXPECT_DOUBLE_EQ(report.inSample.accuracy, 0.8);
  double weight = 0.0;
  for (std::size_t r = 0; r < 2; ++r) weight += report.runWeights[r];
  EXPECT_DOUBLE_EQ(weight, 1.0);
  EXPECT_DOUBLE_EQ(report.runWeights[1], static_cast<double>(report.selectionCounts[1]) /
                                             (report.selectionCounts[0] + report.selectionCounts[1]));

  ASSERT_EQ(report.crossFits.size(), 2u);
  for (const auto& fit : report.crossFits) {
    EXPECT_EQ(fit.fittedRows, fit.fold == 0 ? 40u : 60u) << "fitted on the other fold's rows only";
    if (fit.fold == 0) EXPECT_EQ(fit.selectionCounts, (std::vector<int>{1, 0}));
    if (fit.fold == 1) EXPECT_GE(fit.selectionCounts.at(1), 1) << "fold 0's rows make L look perfect";
  }
  EXPECT_DOUBLE_EQ(accuracyOn(report.crossFittedPredicted, 0), 0.75) << "the leak did not lift fold 0";
  EXPECT_LT(report.crossFitted.accuracy, report.inSample.accuracy);
}

TEST(OutOfFold, TheConstantCanBeFittedForTheKlueMetric) {
  // Relation rows predicted as no-relation by a hair: moving the constant down recovers them.
  std::vector<int> folds(50, 0), gold;
  for (int i = 0; i < 50; ++i) gold.push_back(i < 10 ? 1 : 0);
  const auto run = fakeRun("f1", folds, gold, [](std::size_t i) {
    return i < 10 ? std::vector<float>{0.52f, 0.48f, 0.0f} : std::vector<float>{0.9f, 0.1f, 0.0f};
  });
  EnsembleOptions options;
  options.fitPrior = true;
  options.fitMetric = FitMetric::RelationMicroF1;
  const auto report = evaluateOutOfFold({run}, options);
  EXPECT_LT(report.noRelationBias, 0.0);
  EXPECT_DOUBLE_EQ(report.members[0].microF1, 0.0);
  EXPECT_DOUBLE_EQ(report.inSample.microF1, 1.0);
  EXPECT_DOUBLE_EQ(scoreOf(FitMetric::RelationMicroF1, {1, 0, 2}, {1, 0, 1}, 0), 0.5);
  EXPECT_DOUBLE_EQ(scoreOf(FitMetric::Accuracy, {1, 0, 2}, {1, 0, 1}, 0), 2.0 / 3.0);
}

TEST(OutOfFold, RunsThatDisagreeOnAGoldLabelAreRefused) {
  const std::vector<int> folds = {0, 1, 0};
  const auto a = fakeRun("a", folds, {0, 1, 2}, [](std::size_t) { return std::vector<float>{0.2f, 0.3f, 0.5f}; });
  auto b = fakeRun("b", folds, {0, 1, 1}, [](std::size_t) { return std::vector<float>{0.2f, 0.3f, 0.5f}; });
  try {
    evaluateOutOfFold({a, b}, {});
    FAIL() << "differing gold labels were accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("'r2'"), std::string::npos) << e.what();
  }
}

TEST(OutOfFold, OutOfFoldRowsAndTestRowsAreDecidedAlike) {
  // Three runs whose test predictions (read from their caches) equal their out-of-fold
  // probabilities: every vote must decide each row the same way on both sides.
  testing::TempDir dir;
  const std::size_t n = 40;
  std::vector<int> folds, gold;
  for (std::size_t i = 0; i < n; ++i) folds.push_back(static_cast<int>(i % 2)), gold.push_back(static_cast<int>(i % 3));
  std::vector<RunMembers> runs;
  for (int r = 0; r < 3; ++r)
    runs.push_back(fakeRun("run" + std::to_string(r), folds, gold, [r](std::size_t i) {
      const float x = static_cast<float>((i * (r + 3) * 7919) % 100) / 100.0f;
      return std::vector<float>{x, (1.0f - x) * 0.6f, (1.0f - x) * 0.4f};
    }));
  const std::string sha(64, 'c');
  std::vector<data::Example> testRows(n);
  for (std::size_t r = 0; r < runs.size(); ++r) {
    runs[r].runDir = dir.path() + "/run" + std::to_string(r);
    // The cache is keyed by the checkpoint's content, which is never loaded here.
    runs[r].folds[0].checkpoint = dir.file("fold-" + std::to_string(r) + ".pt");
    std::ofstream(runs[r].folds[0].checkpoint) << "checkpoint " << r;
    writeCache(cachePath(runs[r].runDir, sha), sha, {{0}, {runs[r].oof}, {checkpointDigest(runs[r].folds[0].checkpoint)}});
  }
  PredictOptions predict;
  predict.testSha256 = sha;
  for (Vote vote : {Vote::Soft, Vote::Hard, Vote::Weighted}) {
    EnsembleOptions options;
    options.vote = vote;
    options.fitPrior = vote != Vote::Hard;
    const auto report = evaluateOutOfFold(runs, options);
    const auto test = predictTest(runs, testRows, options, report, predict);
    EXPECT_EQ(test.checkpointsLoaded, 0);
    EXPECT_EQ(test.predicted, report.inSamplePredicted) << voteName(vote);
  }
  EnsembleOptions greedy;
  greedy.vote = Vote::Weighted;
  greedy.runWeights = RunWeights::Greedy;
  const auto report = evaluateOutOfFold(runs, greedy);
  ASSERT_EQ(report.selectionCounts.size(), runs.size());
  EXPECT_EQ(predictTest(runs, testRows, greedy, report, predict).predicted, report.inSamplePredicted);
}

TEST(OutOfFold, WrittenProbabilitiesReadBackExactly) {
  // oof.tsv feeds argmax decisions and fitted ensemble weights: a probability that does not
  // read back as the very float the run produced can flip a near tie.
  testing::TempDir dir;
  kfold::PreparedRun p;
  p.runId = "r1";
  p.runDir = dir.path();
  p.labels = data::LabelMap::fromNames({"a", "b", "c"});
  p.rowIds = {"x", "y", "z"};
  p.data.labels = {0, 1, 2};
  p.data.numLabels = 3;
  kfold::RunResult r;
  r.runId = "r1";
  r.status = RunStatus::Finished;
  r.folds.resize(1);
  r.folds[0].checkpointPath = dir.file("fold-0/best.pt");
  r.folds[0].validationRows = {0, 1, 2};
  const float third = 1.0f / 3.0f;
  r.outOfFold = {{third, std::nextafter(third, 1.0f), std::nextafter(third, 0.0f)},  // argmax 1 by one ulp
                 {0.123456789f, 1e-38f, 0.87654321f},
                 {std::numeric_limits<float>::denorm_min(), 0.999999940f, 6.02e-8f}};
  kfold::writeRunFiles(p, r);
  const auto oof = analysis::readOofPredictions(dir.file("oof.tsv"), true);
  ASSERT_EQ(oof.probabilities.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t c = 0; c < 3; ++c)
      EXPECT_EQ(oof.probabilities[i][c], r.outOfFold[i][c]) << "row " << i << " class " << c;
  EXPECT_EQ(oof.predicted[0], 1);
}

TEST(PredictionCache, AStaleOrDamagedCacheIsIgnored) {
  testing::TempDir dir;
  const std::string sha(64, 'a');
  const auto path = cachePath(dir.path(), sha);
  const std::vector<std::string> digests = {"0123456789abcdef", "fedcba9876543210"};
  writeCache(path, sha, {{0, 1}, {{{0.1f, 0.9f}}, {{0.8f, 0.2f}}}, digests});
  ASSERT_TRUE(readCache(path, sha, {0, 1}, digests, 1, 2).has_value());
  EXPECT_FALSE(readCache(path, std::string(64, 'b'), {0, 1}, digests, 1, 2).has_value());  // another test file
  EXPECT_FALSE(readCache(path, sha, {0, 2}, digests, 1, 2).has_value());                   // other folds
  EXPECT_FALSE(readCache(path, sha, {0, 1}, digests, 2, 2).has_value());                   // other rows
  EXPECT_FALSE(readCache(path, sha, {0, 1}, {digests[0], "1111111111111111"}, 1, 2).has_value());  // fold 1 retrained
  EXPECT_TRUE(readCache(path, sha, {0, 1}, {}, 1, 2).has_value());  // pruned: no checkpoint left to compare
  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 3);
  EXPECT_FALSE(readCache(path, sha, {0, 1}, digests, 1, 2).has_value());  // truncated
}

TEST(PredictionCache, AnotherWritersTemporaryFileIsLeftAlone) {
  // The CLI and the window may export with the same run and test file at once: each writes
  // its own temporary file, so neither truncates nor renames the other's half-written one.
  testing::TempDir dir;
  const std::string sha(64, 'a');
  const auto path = cachePath(dir.path(), sha);
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  const std::string others = "another export, half written";
  for (const auto& name : {path + ".tmp", path + ".tmp" + std::to_string(::getpid())})
    std::ofstream(name, std::ios::binary) << others;
  writeCache(path, sha, {{0}, {{{0.25f, 0.75f}}}, {"0123456789abcdef"}});
  EXPECT_TRUE(readCache(path, sha, {0}, {"0123456789abcdef"}, 1, 2).has_value());
  for (const auto& name : {path + ".tmp", path + ".tmp" + std::to_string(::getpid())}) {
    std::ifstream in(name, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text, others) << name << " was taken over";
  }
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(path).parent_path()))
    ++files;
  EXPECT_EQ(files, 3u) << "a temporary file of this writer was left behind";
}

}  // namespace
}  // namespace foldbench::ensemble
