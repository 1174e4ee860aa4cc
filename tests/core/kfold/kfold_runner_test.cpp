#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "foldbench/kfold/kfold_runner.h"
#include "sample_config.h"
#include "temp_dir.h"

namespace foldbench::kfold {
namespace {

TEST(KFoldRunner, SampleRunBeatsTheMajorityClassByAClearMargin) {
  testing::TempDir dir;
  train::TrainingObserver quiet;
  std::atomic<bool> cancel{false};
  const auto prepared = prepareRun(testing::sampleConfig(dir.path()), quiet);
  const auto result = runFolds(prepared, quiet, cancel);
  writeRunFiles(prepared, result);
  ASSERT_EQ(result.status, RunStatus::Finished) << result.error;
  ASSERT_EQ(result.folds.size(), 5u);
  std::vector<int> counts(static_cast<std::size_t>(prepared.data.numLabels), 0);
  for (int l : prepared.data.labels) ++counts[static_cast<std::size_t>(l)];
  const double majority = static_cast<double>(*std::max_element(counts.begin(), counts.end())) /
                          static_cast<double>(prepared.data.size());
  EXPECT_GT(result.validationAccuracy.mean, majority + 0.3)
      << "mean " << result.validationAccuracy.mean << " vs majority " << majority;
  // Every row has an out-of-fold prediction (rare labels are spread, not dropped).
  for (const auto& p : result.outOfFold) EXPECT_EQ(p.size(), static_cast<std::size_t>(prepared.data.numLabels));
  EXPECT_EQ(result.validationAccuracy.values.size(), 5u);

  const auto summary = nlohmann::json::parse(std::ifstream(prepared.runDir + "/summary.json"));
  EXPECT_EQ(summary["cv"]["val_acc"]["list"].size(), 5u);
  EXPECT_EQ(summary["folds"][0]["train_rows"].get<std::size_t>() + summary["folds"][0]["validation_rows"].get<std::size_t>(),
            prepared.data.size());
  EXPECT_NEAR(summary["cv"]["val_acc"]["mean"].get<double>(), result.validationAccuracy.mean, 1e-12);
  for (int f = 0; f < 5; ++f)
    EXPECT_TRUE(std::filesystem::exists(prepared.runDir + "/fold-" + std::to_string(f) + "/best.pt"));
  std::ifstream oof(prepared.runDir + "/oof.tsv");
  const auto lines = std::count(std::istreambuf_iterator<char>(oof), std::istreambuf_iterator<char>(), '\n');
  EXPECT_EQ(lines, static_cast<long>(prepared.data.size()) + 1);
}

TEST(KFoldRunner, OneChosenFoldForClusterJobs) {
  testing::TempDir dir;
  auto c = testing::sampleConfig(dir.path());
  c.kfold.fold = 2;
  c.train.epochs = 1;
  train::TrainingObserver quiet;
  std::atomic<bool> cancel{false};
  const auto prepared = prepareRun(c, quiet);
  const auto result = runFolds(prepared, quiet, cancel);
  ASSERT_EQ(result.folds.size(), 1u);
  EXPECT_EQ(result.folds[0].fold, 2);
  EXPECT_TRUE(std::filesystem::exists(prepared.runDir + "/fold-2/best.pt"));
}

TEST(KFoldRunner, BadDataStopsBeforeTraining) {
  testing::TempDir dir;
  auto c = testing::sampleConfig(dir.path());
  c.data.trainPath = dir.write("bad.tsv", "x\tonly\n");
  train::TrainingObserver quiet;
  EXPECT_THROW(prepareRun(c, quiet), data::DataError);
  auto invalid = testing::sampleConfig(dir.path());
  invalid.model.heads = 3;
  EXPECT_THROW(prepareRun(invalid, quiet), config::ConfigError);
}

TEST(KFoldRunner, AMissingTokenizerModelIsNamedAndLeavesNoRunBehind) {
  testing::TempDir dir;
  auto c = testing::sampleConfig(dir.path());
  c.tokenizer.modelPath = dir.file("gone.model");
  c.run.outputDir = dir.file("runs");
  train::TrainingObserver quiet;
  try {
    prepareRun(c, quiet);
    FAIL() << "a missing tokenizer model was accepted";
  } catch (const config::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("tokenizer.model_path"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("gone.model"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(dir.file("runs")));
}

TEST(CvStat, MeanAndPopulationStd) {
  const auto s = cvStat({0.5, 0.7});
  EXPECT_DOUBLE_EQ(s.mean, 0.6);
  EXPECT_NEAR(s.stddev, 0.1, 1e-12);
}

}  // namespace
}  // namespace foldbench::kfold

namespace foldbench::kfold {
namespace {

TEST(RunFiles, AFailedWriteIsAnErrorAndLeavesNoSummaryPromisingIt) {
  testing::TempDir dir;
  PreparedRun p;
  p.runId = "r1";
  p.runDir = dir.path();
  p.labels = data::LabelMap::fromNames({"a", "b"});
  p.rowIds = {"x", "y"};
  p.data.labels = {0, 1};
  p.data.numLabels = 2;
  RunResult r;
  r.runId = "r1";
  r.status = RunStatus::Finished;
  r.outOfFold = {{0.9f, 0.1f}, {0.2f, 0.8f}};
  writeRunFiles(p, r);
  EXPECT_TRUE(std::filesystem::exists(dir.file("summary.json")));
  EXPECT_FALSE(std::filesystem::exists(dir.file("oof.tsv.tmp")));

  // oof.tsv cannot be written (something else holds the name): the call fails loudly, and the
  // summary is not rewritten to claim a complete run.
  testing::TempDir broken;
  p.runDir = broken.path();
  std::filesystem::create_directories(broken.file("oof.tsv/occupied"));
  EXPECT_THROW(writeRunFiles(p, r), std::runtime_error);
  EXPECT_FALSE(std::filesystem::exists(broken.file("summary.json")));
}

}  // namespace
}  // namespace foldbench::kfold
