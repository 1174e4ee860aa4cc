// Folds trained as separate tasks (cluster array jobs) and merged give the run one process gives.
#include "foldbench/kfold/fold_tasks.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "sample_config.h"
#include "temp_dir.h"

namespace foldbench::kfold {
namespace {

namespace fs = std::filesystem;

config::ExperimentConfig smallRun(const std::string& out) {
  auto c = testing::sampleConfig(out);
  c.kfold.folds = 3;
  c.train.epochs = 2;
  return c;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A prepared 3-fold run of one epoch in a scratch folder, with what training its folds needs.
struct OneEpochRun {
  testing::TempDir dir;
  train::TrainingObserver quiet;
  std::atomic<bool> cancel{false};
  PreparedRun prepared;
  OneEpochRun() {
    auto c = smallRun(dir.file("runs"));
    c.train.epochs = 1;
    prepared = prepareRun(c, quiet);
  }
};

TEST(FoldTasks, MergedTasksEqualTheRunOfOneProcess) {
  testing::TempDir dir;
  train::TrainingObserver quiet;
  std::atomic<bool> cancel{false};
  const auto c = smallRun(dir.file("runs"));
  const auto whole = prepareRun(c, quiet);
  const auto expected = runFolds(whole, quiet, cancel);
  ASSERT_EQ(expected.status, RunStatus::Finished) << expected.error;

  const auto prepared = prepareRun(c, quiet);
  ASSERT_EQ(foldCount(prepared.config), 3);
  for (int fold = 2; fold >= 0; --fold) {  // tasks finish in any order
    const auto reopened = reopenRun(prepared.runDir, quiet);
    const auto r = trainFoldTask(reopened, fold, quiet, cancel);
    ASSERT_EQ(r.status, train::FoldStatus::Finished) << r.error;
    EXPECT_TRUE(fs::exists(foldResultPath(prepared.runDir, fold)));
  }
  const auto merged = mergeFoldResults(reopenRun(prepared.runDir, quiet));
  ASSERT_EQ(merged.status, RunStatus::Finished) << merged.error;
  ASSERT_EQ(merged.folds.size(), expected.folds.size());
  for (std::size_t f = 0; f < merged.folds.size(); ++f) {
    EXPECT_EQ(merged.folds[f].fold, expected.folds[f].fold);
    EXPECT_EQ(merged.folds[f].bestEpoch, expected.folds[f].bestEpoch);
    EXPECT_DOUBLE_EQ(merged.folds[f].best.accuracy, expected.folds[f].best.accuracy);
    EXPECT_DOUBLE_EQ(merged.folds[f].best.loss, expected.folds[f].best.loss);
    EXPECT_EQ(merged.folds[f].validationProbabilities, expected.folds[f].validationProbabilities);
  }
  EXPECT_DOUBLE_EQ(merged.validationAccuracy.mean, expected.validationAccuracy.mean);
  EXPECT_DOUBLE_EQ(merged.outOfFoldAccuracy, expected.outOfFoldAccuracy);
  EXPECT_EQ(merged.outOfFold, expected.outOfFold);

  // The run files are the runner's own: the out-of-fold file is byte-identical.
  writeRunFiles(whole, expected);
  writeRunFiles(prepared, merged);
  EXPECT_EQ(readFile(prepared.runDir + "/oof.tsv"), readFile(whole.runDir + "/oof.tsv"));
}

TEST(FoldTasks, AFinishedFoldIsNotTrainedAgain) {
  OneEpochRun run;
  auto& [dir, quiet, cancel, prepared] = run;
  const auto first = trainFoldTask(prepared, 1, quiet, cancel);
  ASSERT_EQ(first.status, train::FoldStatus::Finished) << first.error;
  const auto stamp = fs::last_write_time(prepared.runDir + "/fold-1/best.pt");
  const auto again = trainFoldTask(prepared, 1, quiet, cancel);
  EXPECT_EQ(fs::last_write_time(prepared.runDir + "/fold-1/best.pt"), stamp);
  EXPECT_DOUBLE_EQ(again.best.loss, first.best.loss);
  EXPECT_EQ(again.validationRows, first.validationRows);
}

TEST(FoldTasks, AMissingOrFailedFoldFailsTheMergeNamingIt) {
  OneEpochRun run;
  auto& [dir, quiet, cancel, prepared] = run;
  ASSERT_EQ(trainFoldTask(prepared, 0, quiet, cancel).status, train::FoldStatus::Finished);
  std::ofstream(prepared.runDir + "/fold-2") << "in the way";  // fold 2 cannot make its folder
  const auto failed = trainFoldTask(prepared, 2, quiet, cancel);
  EXPECT_EQ(failed.status, train::FoldStatus::Failed);
  EXPECT_NE(failed.error.find("fold-2"), std::string::npos) << failed.error;
  const auto merged = mergeFoldResults(prepared);
  EXPECT_EQ(merged.status, RunStatus::Failed);
  EXPECT_EQ(merged.error.rfind("fold 1: no result", 0), 0u) << merged.error;  // the first fold that lacks one
  EXPECT_EQ(merged.folds.size(), 1u);
  EXPECT_EQ(trainFoldTask(prepared, 3, quiet, cancel).error, "no fold 3: the run has folds 0-2");
}

TEST(FoldTasks, AResultFileReadsBackExactly) {
  testing::TempDir dir;
  train::FoldResult r;
  r.fold = 4;
  r.status = train::FoldStatus::EarlyStopped;
  r.bestEpoch = 3;
  r.best = {0.1 + 0.2, 1.0 / 3.0, 2.0 / 7.0};
  r.bestTrainAccuracy = 0.123456789012345678;
  r.checkpointPath = dir.file("fold-4/best.pt");
  train::EpochEvent e;
  e.fold = 4;
  e.epoch = 3;
  e.step = 120;
  e.trainLoss = 0.7;
  e.hasValidation = true;
  e.validation = r.best;
  e.improved = true;
  r.epochs = {e};
  r.validationRows = {5, 9};
  r.validationProbabilities = {{0.1f, 0.9f}, {1.0f / 3.0f, 2.0f / 3.0f}};
  r.steps = 120;
  writeFoldResult(foldResultPath(dir.path(), 4), r);
  const auto back = readFoldResult(foldResultPath(dir.path(), 4));
  EXPECT_EQ(back.status, r.status);
  EXPECT_EQ(back.best.loss, r.best.loss);
  EXPECT_EQ(back.best.microF1, r.best.microF1);
  EXPECT_EQ(back.bestTrainAccuracy, r.bestTrainAccuracy);
  EXPECT_EQ(back.validationProbabilities, r.validationProbabilities);
  EXPECT_EQ(back.checkpointPath, r.checkpointPath);
  ASSERT_EQ(back.epochs.size(), 1u);
  EXPECT_EQ(back.epochs[0].validation.accuracy, r.best.accuracy);
  EXPECT_TRUE(back.epochs[0].improved);

  std::ofstream(dir.file("fold-4/result.json")) << R"({"fold": 4})";
  try {
    readFoldResult(dir.file("fold-4/result.json"));
    FAIL() << "a truncated result file was read";
  } catch (const std::runtime_error& err) {
    EXPECT_NE(std::string(err.what()).find("fold-4/result.json: not a fold result"), std::string::npos) << err.what();
  }
}

TEST(FoldTasks, ReopeningADirectoryThatIsNoRunSaysWhatIsMissing) {
  testing::TempDir dir;
  train::TrainingObserver quiet;
  try {
    reopenRun(dir.path(), quiet);
    FAIL() << "reopened an empty directory";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("config.json not found"), std::string::npos) << e.what();
  }
}

// Tasks and the merge reload the training file on other machines, maybe hours later: a file
// edited (or regenerated by `data split --force`) since the run was prepared is refused, naming
// the file and both fingerprints, before any fold trains on other rows.
TEST(FoldTasks, ATrainingFileThatChangedSinceTheRunWasPreparedIsRefused) {
  testing::TempDir dir;
  train::TrainingObserver quiet;
  auto c = smallRun(dir.file("runs"));
  const std::string copy = dir.file("train.tsv");
  fs::copy_file(c.data.trainPath, copy);
  c.data.trainPath = copy;
  const auto prepared = prepareRun(c, quiet);
  EXPECT_NO_THROW(reopenRun(prepared.runDir, quiet));
  auto text = readFile(copy);
  const auto lastLine = text.rfind('\n', text.size() - 2);
  text.erase(lastLine + 1);  // one row fewer: every later fold would hold other rows
  std::ofstream(copy, std::ios::trunc) << text;
  try {
    reopenRun(prepared.runDir, quiet);
    FAIL() << "a changed training file was reloaded";
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(copy + " changed since the run was prepared"), std::string::npos) << what;
    EXPECT_NE(what.find("fingerprint "), std::string::npos) << what;
    EXPECT_NE(what.find(" then, "), std::string::npos) << what;
  }
  fs::remove(copy);
  EXPECT_THROW(reopenRun(prepared.runDir, quiet), std::runtime_error);
}

struct MessageLog : train::TrainingObserver {
  std::vector<std::string> messages;
  void onMessage(const std::string& text) override { messages.push_back(text); }
};

// The KLUE presets keep no optimizer state (fp16 tables need that), so a fold interrupted after
// it saved a checkpoint cannot resume exactly: its task starts it again and says so, instead of
// failing on every resubmission.
TEST(FoldTasks, AnInterruptedFoldWithoutOptimizerStateStartsAgain) {
  testing::TempDir dir;
  MessageLog log;
  std::atomic<bool> cancel{false};
  auto c = smallRun(dir.file("runs"));
  c.train.epochs = 1;
  c.train.saveOptimizer = false;
  const auto prepared = prepareRun(c, log);
  const auto first = trainFoldTask(prepared, 0, log, cancel);
  ASSERT_EQ(first.status, train::FoldStatus::Finished) << first.error;
  fs::remove(foldResultPath(prepared.runDir, 0));  // killed after its checkpoint, before its result
  log.messages.clear();
  const auto again = trainFoldTask(prepared, 0, log, cancel);
  ASSERT_EQ(again.status, train::FoldStatus::Finished) << again.error;
  EXPECT_EQ(again.validationProbabilities, first.validationProbabilities);
  const bool said = std::any_of(log.messages.begin(), log.messages.end(), [](const std::string& m) {
    return m.find("holds no optimizer state") != std::string::npos && m.find("starts again") != std::string::npos;
  });
  EXPECT_TRUE(said);
}

// A task writes only inside the run folder: a failure, even one before the run could be
// reopened, is left in fold-K/result.json, where the merge reads the reason.
TEST(FoldTasks, AFailedTaskLeavesItsReasonForTheMerge) {
  OneEpochRun run;
  auto& [dir, quiet, cancel, prepared] = run;
  for (int fold : {0, 2}) ASSERT_EQ(trainFoldTask(prepared, fold, quiet, cancel).status, train::FoldStatus::Finished);
  recordFoldFailure(prepared.runDir, 1, "/data/train.tsv not found on node c12");
  const auto merged = mergeFoldResults(prepared);
  EXPECT_EQ(merged.status, RunStatus::Failed);
  EXPECT_EQ(merged.error, "fold 1: /data/train.tsv not found on node c12");
  // A task that cannot reopen the run on a resubmission leaves a finished fold's result alone.
  const auto finished = readFoldResult(foldResultPath(prepared.runDir, 0));
  recordFoldFailure(prepared.runDir, 0, "data not mounted on node c13");
  const auto kept = readFoldResult(foldResultPath(prepared.runDir, 0));
  EXPECT_EQ(kept.status, train::FoldStatus::Finished);
  EXPECT_EQ(kept.validationProbabilities, finished.validationProbabilities);
  // A run folder that is not there (not mounted on the node) is not created.
  recordFoldFailure(dir.file("elsewhere/run"), 0, "not mounted");
  EXPECT_FALSE(fs::exists(dir.file("elsewhere")));
}

}  // namespace
}  // namespace foldbench::kfold
