#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mutex>
#include <set>
#include <thread>

#include "foldbench/tracker/sweep_store.h"
#include "sqlite_db.h"
#include "temp_dir.h"

namespace foldbench::tracker {
namespace {

TrialRecord proposal(const std::vector<TrialRecord>& existing, int number) {
  TrialRecord t;
  t.params = {{"train.lr", std::to_string(number)}, {"seen", std::to_string(existing.size())}};
  t.foldOrder = {2, 0, 1};
  return t;
}

TEST(SweepStore, ASweepIsFoundByNameAndANameIsTakenOnce) {
  testing::TempDir dir;
  auto store = SweepStore::open(dir.file("t.db"));
  const auto id = store.createSweep("lr", "{\"space\":[]}", "{}");
  ASSERT_TRUE(store.findSweep("lr"));
  EXPECT_EQ(store.findSweep("lr")->id, id);
  EXPECT_FALSE(store.findSweep("other"));
  try {
    store.createSweep("lr", "{}", "{}");
    FAIL() << "a second sweep named lr";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.kind(), StoreError::Kind::Refused);
  }
  EXPECT_EQ(store.listSweeps().size(), 1u);
}

TEST(SweepStore, ClaimsCreateTrialsInOrderUpToTheBudgetAndRecordScores) {
  testing::TempDir dir;
  auto store = SweepStore::open(dir.file("t.db"));
  const auto id = store.createSweep("s", "{}", "{}");
  const auto first = store.claimTrial(id, 2, proposal);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->trial, 1);
  EXPECT_EQ(first->status, TrialStatus::Running);
  EXPECT_EQ(first->pid, static_cast<int>(::getpid()));
  const auto second = store.claimTrial(id, 2, proposal);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->trial, 2);
  EXPECT_EQ(second->params[1].second, "1") << "the proposal sees the trials that exist";
  EXPECT_FALSE(store.claimTrial(id, 2, proposal)) << "the budget is two trials";

  store.recordFold(id, 1, {2, 0.5});
  store.recordFold(id, 1, {0, 0.7});
  store.finishTrial(id, 1, TrialStatus::Pruned, "worse");
  const auto trials = store.trials(id);
  ASSERT_EQ(trials.size(), 2u);
  EXPECT_EQ(trials[0].status, TrialStatus::Pruned);
  EXPECT_EQ(trials[0].reason, "worse");
  ASSERT_EQ(trials[0].scores.size(), 2u);
  EXPECT_EQ(trials[0].scores[0].fold, 2) << "scores keep their training order";
  EXPECT_NEAR(trials[0].mean, 0.6, 1e-12);
  EXPECT_NEAR(trials[0].stddev, 0.1, 1e-12);
  EXPECT_EQ(trials[0].foldOrder, (std::vector<int>{2, 0, 1}));

  // A stopped trial goes back to pending without its scores, and is the next one claimed.
  store.recordFold(id, 2, {2, 0.9});
  store.finishTrial(id, 2, TrialStatus::Pending, "stopped");
  EXPECT_TRUE(store.trials(id)[1].scores.empty());
  const auto again = store.claimTrial(id, 2, proposal);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->trial, 2);
  EXPECT_EQ(again->attempts, 2);
  EXPECT_EQ(again->params, second->params) << "a trial run again keeps its parameters";
}

TEST(SweepStore, ConcurrentWorkersNeverShareOrDuplicateATrial) {
  testing::TempDir dir;
  const std::string path = dir.file("t.db");
  const auto id = SweepStore::open(path).createSweep("s", "{}", "{}");
  std::mutex mutex;
  std::multiset<int> claimed;
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w)
    workers.emplace_back([&] {
      auto store = SweepStore::open(path);  // a connection each, as separate processes have
      while (auto t = store.claimTrial(id, 24, proposal)) {
        std::lock_guard<std::mutex> lock(mutex);
        claimed.insert(t->trial);
      }
    });
  for (auto& w : workers) w.join();
  ASSERT_EQ(claimed.size(), 24u);
  for (int n = 1; n <= 24; ++n) EXPECT_EQ(claimed.count(n), 1u) << "trial " << n;
}

TEST(SweepStore, AWorkerWhoseTrialWasTakenOverChangesNothing) {
  testing::TempDir dir;
  auto store = SweepStore::open(dir.file("t.db"));
  const auto id = store.createSweep("s", "{}", "{}");
  const auto first = store.claimTrial(id, 1, proposal);
  ASSERT_TRUE(first);
  // Its heartbeat went stale: released, and claimed again by another worker (attempt 2).
  store.finishTrial(id, 1, TrialStatus::Pending, "released");
  const auto second = store.claimTrial(id, 1, proposal);
  ASSERT_EQ(second->attempts, first->attempts + 1);
  EXPECT_FALSE(store.recordFold(id, 1, {0, 0.1}, first->attempts));
  EXPECT_FALSE(store.linkRun(id, 1, "old-run", first->attempts));
  EXPECT_FALSE(store.finishTrial(id, 1, TrialStatus::Finished, "", first->attempts));
  EXPECT_TRUE(store.recordFold(id, 1, {0, 0.8}, second->attempts));
  const auto t = store.trials(id)[0];
  EXPECT_EQ(t.status, TrialStatus::Running);
  ASSERT_EQ(t.scores.size(), 1u);
  EXPECT_DOUBLE_EQ(t.scores[0].accuracy, 0.8);
  EXPECT_NE(t.runUid, "old-run");
}

TEST(SweepStore, TrialsOfDeadWorkersGoBackToPendingAndLiveOnesStay) {
  testing::TempDir dir;
  const std::string path = dir.file("t.db");
  auto store = SweepStore::open(path);
  const auto id = store.createSweep("s", "{}", "{}");
  ASSERT_TRUE(store.claimTrial(id, 3, proposal));
  ASSERT_TRUE(store.claimTrial(id, 3, proposal));
  ASSERT_TRUE(store.claimTrial(id, 3, proposal));
  store.recordFold(id, 1, {0, 0.4});
  // Trial 1's worker: a process that has exited. Trial 2: another host, silent for a minute.
  const pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  {
    Database db(path, Database::Mode::ReadWrite, false);
    db.prepare("UPDATE sweep_trials SET pid = ? WHERE trial = 1").bind(1, static_cast<int>(child)).run();
    db.prepare("UPDATE sweep_trials SET host = 'elsewhere', heartbeat_at = heartbeat_at - 60 WHERE trial = 2").run();
  }
  EXPECT_EQ(store.releaseDeadTrials(id), 2);
  const auto trials = store.trials(id);
  EXPECT_EQ(trials[0].status, TrialStatus::Pending);
  EXPECT_TRUE(trials[0].scores.empty()) << "the dead attempt's folds are trained again";
  EXPECT_NE(trials[0].reason.find("died"), std::string::npos) << trials[0].reason;
  EXPECT_EQ(trials[1].status, TrialStatus::Pending);
  EXPECT_EQ(trials[2].status, TrialStatus::Running) << "this process is alive";
}

}  // namespace
}  // namespace foldbench::tracker
