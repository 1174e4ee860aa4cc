#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <map>
#include <thread>

#include "foldbench/sweep/racing.h"
#include "foldbench/sweep/sweep_runner.h"
#include "foldbench/tracker/run_store.h"
#include "sample_config.h"
#include "temp_dir.h"

extern char** environ;

namespace foldbench::sweep {
namespace {

// The sample data with the n-gram family on 3 folds: a trial trains in seconds.
config::ExperimentConfig quickBase(const std::string& dir) {
  auto c = testing::sampleConfig(dir + "/runs");
  c.model.family = config::ModelFamily::Ngram;
  c.kfold.folds = 3;
  c.train.epochs = 3;
  c.train.threads = 1;
  c.train.minLr = 0.0;  // the cosine schedule's floor must not exceed the smallest rate swept
  return c;
}

SweepSpec lrChoices(int trials) {
  SweepSpec spec;
  spec.space = {parseDimension("train.lr=0.02,1e-7")};
  spec.sampler = SamplerKind::Random;
  spec.maxTrials = trials;
  return spec;
}

// Queues trials with the given learning rates ahead of the sampler: a worker runs pending
// trials first, in order, so a test knows which trial is the bad one.
void queueTrials(const std::string& db, const std::string& name, const std::vector<std::string>& rates, int folds) {
  auto store = tracker::SweepStore::open(db);
  const auto id = store.findSweep(name)->id;
  for (const auto& lr : rates)
    store.claimTrial(id, 0, [&](const std::vector<tracker::TrialRecord>& existing, int) {
      tracker::TrialRecord r;
      r.params = {{"train.lr", lr}};
      for (int f = 0; f < folds; ++f) r.foldOrder.push_back((f + static_cast<int>(existing.size())) % folds);
      return r;
    });
  for (const auto& t : store.trials(id)) store.finishTrial(id, t.trial, tracker::TrialStatus::Pending, "queued by the test");
}

class Recorder : public SweepObserver {
 public:
  std::vector<int> started;
  std::map<int, std::vector<tracker::TrialStatus>> updates;
  std::function<void(const train::FoldResult&)> foldEnded;
  void onTrialStart(const tracker::TrialRecord& t) override { started.push_back(t.trial); }
  void onTrialUpdate(const tracker::TrialRecord& t) override { updates[t.trial].push_back(t.status); }
  void onFoldEnd(const train::FoldResult& r) override {
    if (foldEnded) foldEnded(r);
  }
};

TEST(SweepRunner, ARateTheRestOfTheConfigRulesOutIsRefusedAtCreation) {
  testing::TempDir dir;
  auto base = quickBase(dir.path());
  base.train.minLr = 1e-5;
  try {
    createSweep(dir.file("t.db"), "lr", lrChoices(2), base);
    FAIL() << "a learning rate below train.min_lr";
  } catch (const config::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("train.lr at 1e-7: train.min_lr"), std::string::npos) << e.what();
  }
}

TEST(SweepRunner, ABadLearningRateIsPrunedAfterTwoFoldsAndTheGoodOneLeads) {
  testing::TempDir dir;
  const std::string db = dir.file("t.db");
  createSweep(db, "lr", lrChoices(2), quickBase(dir.path()));
  queueTrials(db, "lr", {"0.02", "1e-7"}, 3);
  Recorder observer;
  std::atomic<bool> cancel{false};
  WorkerOptions options;
  options.databasePath = db;
  const auto summary = runSweepWorker("lr", observer, cancel, options);
  EXPECT_EQ(summary.trials, 2);
  EXPECT_EQ(summary.finished, 1);
  EXPECT_EQ(summary.pruned, 1);
  EXPECT_EQ(summary.foldTrainings, 3 + 2) << "the pruned trial stopped after its second fold";
  EXPECT_TRUE(summary.budgetReached);

  auto store = tracker::SweepStore::open(db, tracker::RunStore::Access::ReadOnly);
  const auto trials = store.trials(store.findSweep("lr")->id);
  ASSERT_EQ(trials.size(), 2u);
  EXPECT_EQ(trials[0].status, tracker::TrialStatus::Finished);
  EXPECT_EQ(trials[0].scores.size(), 3u);
  EXPECT_EQ(trials[1].status, tracker::TrialStatus::Pruned);
  EXPECT_EQ(trials[1].scores.size(), 2u);
  EXPECT_LT(trials[1].mean, trials[0].mean - 0.2) << "a learning rate of 1e-7 learns nothing in 3 epochs";
  EXPECT_NE(trials[1].reason.find("worse than trial 1 on 2 folds"), std::string::npos) << trials[1].reason;
  EXPECT_EQ(trials[1].scores[0].fold, trials[1].foldOrder[0]) << "folds train in the trial's own order";
  EXPECT_EQ(incumbentOf(trials, 3)->trial, 1);

  // Each trial is a run in the tracker, pruned with its reason, linked to its sweep.
  auto runs = tracker::RunStore::open(db, tracker::RunStore::Access::ReadOnly);
  const auto pruned = runs.showRun(runs.resolve(trials[1].runUid));
  EXPECT_EQ(pruned.info.status, RunStatus::Pruned);
  EXPECT_EQ(pruned.info.error, trials[1].reason);
  EXPECT_EQ(pruned.info.name, "lr/trial-2");
  tracker::ListQuery query;
  query.filter = "sweep/name = 'lr'";
  EXPECT_EQ(runs.listRuns(query).size(), 2u);
}

TEST(SweepRunner, StoppingPutsTheTrialBackAndRunningAgainResumesWithItsParameters) {
  testing::TempDir dir;
  const std::string db = dir.file("t.db");
  createSweep(db, "s", lrChoices(2), quickBase(dir.path()));
  std::atomic<bool> cancel{false};
  Recorder first;
  first.foldEnded = [&](const train::FoldResult&) { cancel.store(true); };
  WorkerOptions options;
  options.databasePath = db;
  const auto stopped = runSweepWorker("s", first, cancel, options);
  EXPECT_TRUE(stopped.stopped);
  auto store = tracker::SweepStore::open(db);
  const auto id = store.findSweep("s")->id;
  const auto before = store.trials(id);
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].status, tracker::TrialStatus::Pending);

  cancel.store(false);
  Recorder second;
  const auto resumed = runSweepWorker("s", second, cancel, options);
  EXPECT_EQ(second.started, (std::vector<int>{1, 2})) << "the stopped trial first, then a new one";
  const auto after = store.trials(id);
  ASSERT_EQ(after.size(), 2u);
  EXPECT_EQ(after[0].params, before[0].params);
  EXPECT_EQ(after[0].attempts, 2);
  for (const auto& t : after) EXPECT_TRUE(t.status == tracker::TrialStatus::Finished || t.status == tracker::TrialStatus::Pruned);
}

TEST(SweepRunner, AKilledWorkerLosesNoTrialAndRepeatsNone) {
  testing::TempDir dir;
  const std::string db = dir.file("t.db");
  createSweep(db, "k", lrChoices(3), quickBase(dir.path()));
  std::vector<std::string> words = {"foldbench-cli", "sweep", "run", "k", "--db", db};
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  pid_t child = 0;
  ASSERT_EQ(posix_spawn(&child, FOLDBENCH_CLI, nullptr, nullptr, argv.data(), environ), 0);
  auto store = tracker::SweepStore::open(db, tracker::RunStore::Access::ReadOnly);
  const auto id = store.findSweep("k")->id;
  // Killed hard once its first trial has a fold done: mid-trial, as a crash or an OOM kill.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(3);
  for (;;) {
    const auto trials = store.trials(id);
    if (!trials.empty() && !trials[0].scores.empty()) break;
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the worker trained no fold in 3 minutes";
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  const std::string killedRun = store.trials(id)[0].runUid;
  ASSERT_EQ(store.trials(id)[0].status, tracker::TrialStatus::Running) << "nobody told the tracker";

  Recorder observer;
  std::atomic<bool> cancel{false};
  WorkerOptions options;
  options.databasePath = db;
  runSweepWorker("k", observer, cancel, options);
  const auto trials = store.trials(id);
  ASSERT_EQ(trials.size(), 3u) << "the budget's three trials, no more";
  for (int n = 0; n < 3; ++n) {
    EXPECT_EQ(trials[static_cast<std::size_t>(n)].trial, n + 1);
    const auto status = trials[static_cast<std::size_t>(n)].status;
    EXPECT_TRUE(status == tracker::TrialStatus::Finished || status == tracker::TrialStatus::Pruned) << "trial " << n + 1;
  }
  EXPECT_EQ(observer.started, (std::vector<int>{1, 2, 3})) << "the killed trial ran again, each other trial once";
  EXPECT_EQ(trials[0].attempts, 2);
  EXPECT_NE(trials[0].runUid, killedRun);
  auto runs = tracker::RunStore::open(db, tracker::RunStore::Access::ReadOnly);
  EXPECT_EQ(runs.showRun(runs.resolve(killedRun)).info.status, RunStatus::Crashed) << "the killed attempt's run";
  tracker::ListQuery query;
  query.filter = "status = 'finished' or status = 'pruned'";
  EXPECT_EQ(runs.listRuns(query).size(), 3u) << "one ended run per trial";
}

}  // namespace
}  // namespace foldbench::sweep
