// The tracker states of a run whose folds are cluster jobs: queued, running, settled by the merge.
#include <gtest/gtest.h>

#include "foldbench/tracker/field_names.h"
#include "foldbench/tracker/run_store.h"
#include "temp_dir.h"

namespace foldbench::tracker {
namespace {

RunInfo clusterRun(const std::string& uid) {
  RunInfo i;
  i.uid = uid;
  i.name = "cluster";
  i.status = RunStatus::Queued;
  i.createdAt = nowSeconds() - 7200;  // submitted two hours ago
  i.host = std::string(kClusterHostPrefix) + "42";
  i.configJson = "{}";
  return i;
}

TEST(ClusterStatus, QueuedThenRunningOnlyFromQueued) {
  testing::TempDir dir;
  auto store = RunStore::open(dir.file("t.db"));
  const auto run = store.createRun(clusterRun("c1"), {});
  EXPECT_EQ(store.showRun(run).info.status, RunStatus::Queued);
  store.markRunning(run, std::string(kClusterHostPrefix) + "42", nowSeconds());
  EXPECT_EQ(store.showRun(run).info.status, RunStatus::Running);
  // A failure a task recorded stays visible when a sibling task starts later.
  store.finishRun(run, RunStatus::Failed, "fold 3: out of memory", nowSeconds());
  store.markRunning(run, std::string(kClusterHostPrefix) + "42", nowSeconds());
  EXPECT_EQ(store.showRun(run).info.status, RunStatus::Failed);
  EXPECT_EQ(store.showRun(run).info.error, "fold 3: out of memory");
  // Resubmitting queues it again and clears the error; a finished run is not resubmitted.
  store.markQueued(run);
  EXPECT_EQ(store.showRun(run).info.status, RunStatus::Queued);
  EXPECT_EQ(store.showRun(run).info.error, "");
  store.finishRun(run, RunStatus::Finished, "", nowSeconds());
  try {
    store.markQueued(run);
    FAIL() << "a finished run was queued again";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.kind(), StoreError::Kind::Refused);
  }
}

TEST(ClusterStatus, AClusterRunWithAnOldHeartbeatIsNotMarkedCrashed) {
  testing::TempDir dir;
  auto store = RunStore::open(dir.file("t.db"));
  const auto run = store.createRun(clusterRun("c2"), {});
  store.markRunning(run, std::string(kClusterHostPrefix) + "42", nowSeconds() - 3600);
  RunInfo local = clusterRun("local");
  local.status = RunStatus::Running;
  local.host = hostName();
  local.pid = 0;
  const auto stale = store.createRun(local, {});
  EXPECT_EQ(store.markCrashedRuns(kStaleHeartbeatSeconds, nowSeconds()), 1);
  EXPECT_EQ(store.showRun(run).info.status, RunStatus::Running);  // waits for its merge job
  EXPECT_EQ(store.showRun(stale).info.status, RunStatus::Crashed);
  EXPECT_TRUE(isClusterRun(store.showRun(run).info));
}

TEST(ClusterStatus, DeletingAFoldsSeriesLeavesTheOtherFolds) {
  testing::TempDir dir;
  auto store = RunStore::open(dir.file("t.db"));
  const auto run = store.createRun(clusterRun("c3"), {});
  for (int fold : {1, 2, 12})
    store.writeMetrics(run, {{names::fold(fold, "train/loss"), 1, 1, 0.5, 0.0}, {names::fold(fold, "train/loss"), 2, 2, 0.4, 0.0}});
  store.deleteSeries(run, names::fold(1, ""));
  EXPECT_EQ(store.series(run, names::fold(1, "train/loss")).size(), 0u);
  EXPECT_EQ(store.series(run, names::fold(2, "train/loss")).size(), 2u);
  EXPECT_EQ(store.series(run, names::fold(12, "train/loss")).size(), 2u);  // "fold/1/" is no prefix of "fold/12/"
  store.writeMetrics(run, {{names::fold(1, "train/loss"), 1, 1, 0.9, 0.0}});
  const auto again = store.series(run, names::fold(1, "train/loss"));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again.values[0], 0.9);
}

}  // namespace
}  // namespace foldbench::tracker
