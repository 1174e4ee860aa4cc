// kill -9 in the middle of a real training run: the database stays healthy, the run is marked
// crashed, and at most about the last second of metrics is lost.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <thread>

#include "foldbench/config/experiment_config.h"
#include "foldbench/tracker/run_store.h"
#include "sample_config.h"
#include "temp_dir.h"

namespace foldbench::tracker {
namespace {

TEST(CrashSafety, KillDashNineMidTrainingLeavesAHealthyDatabase) {
  testing::TempDir dir;
  const std::string db = dir.file("experiments.db"), out = dir.file("runs"), configPath = dir.file("config.json");
  // The sample preset with step metrics at every step, so "the last second" is well defined.
  auto config = testing::sampleConfig(out);
  config.train.logEverySteps = 1;
  config.train.epochs = 300;
  config.train.threads = 1;
  config::saveConfig(config, configPath);
  const pid_t child = fork();
  if (child == 0) {
    if (chdir(FOLDBENCH_SOURCE_DIR) != 0) _exit(90);
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    execl(FOLDBENCH_CLI, "foldbench-cli", "train", "--config", configPath.c_str(), "--db", db.c_str(), "--out",
          out.c_str(), static_cast<char*>(nullptr));
    _exit(91);
  }
  // Whatever happens below, the child never outlives the test.
  struct KillOnExit {
    pid_t pid;
    ~KillOnExit() {
      if (kill(pid, SIGKILL) == 0) waitpid(pid, nullptr, 0);
    }
  } guard{child};
  // Wait until training has been writing metrics for a while.
  std::int64_t run = 0, points = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (!std::filesystem::exists(db)) continue;
    try {
      auto store = RunStore::open(db, RunStore::Access::ReadOnly);
      const auto rows = store.listRuns({});
      if (rows.empty()) continue;
      run = rows[0].id;
      points = store.metricCount(run);
      if (points >= 200) break;
    } catch (const std::exception&) {
      // The child may be creating the file right now; try again.
    }
  }
  ASSERT_GE(points, 200) << "training did not record metrics in time";
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  ASSERT_EQ(kill(child, SIGKILL), 0);
  const double killedAt = nowSeconds();
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));

  auto store = RunStore::open(db);  // read-write: detects the dead process
  EXPECT_EQ(store.integrityCheck(), "ok");
  const auto detail = store.showRun(run);
  EXPECT_EQ(detail.info.status, RunStatus::Crashed);
  EXPECT_FALSE(detail.info.error.empty());
  double newest = 0;
  for (const auto& name : store.seriesNames(run))
    for (double t : store.series(run, name).times) newest = std::max(newest, t);
  EXPECT_GE(store.metricCount(run), points);
  EXPECT_LT(killedAt - newest, 1.0) << "metrics up to a second before the kill survive";
}

}  // namespace
}  // namespace foldbench::tracker
