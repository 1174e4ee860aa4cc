// Pruning deletes the checkpoints of the runs it selects and nothing else, with real files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "foldbench/tracker/run_pruning.h"
#include "foldbench/tracker/run_store.h"
#include "foldbench/util/pruned_run.h"
#include "temp_dir.h"

namespace foldbench::tracker {
namespace {

namespace fs = std::filesystem;

void writeFile(const fs::path& path, std::size_t bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << std::string(bytes, 'x');
}

// A finished run as `train` leaves it: its own directory, a summary naming it, two fold checkpoints.
struct Runs {
  testing::TempDir dir;
  RunStore store = RunStore::open(dir.file("experiments.db"));

  std::int64_t add(const std::string& uid, double accuracy, RunStatus status = RunStatus::Finished) {
    RunInfo info;
    info.uid = uid;
    info.name = uid;
    info.createdAt = nowSeconds();
    info.heartbeatAt = nowSeconds();
    info.host = hostName();
    info.pid = static_cast<int>(getpid());
    info.configJson = "{}";
    info.runDir = dir.file("runs/" + uid);
    const auto id = store.createRun(info, {});
    fs::create_directories(info.runDir);
    std::ofstream(fs::path(info.runDir) / "summary.json") << "{\"run_id\": \"" << uid << "\"}";
    for (int fold = 0; fold < 2; ++fold) {
      const auto checkpoint = fs::path(info.runDir) / ("fold-" + std::to_string(fold)) / "best.pt";
      writeFile(checkpoint, 1000 + 10 * static_cast<std::size_t>(fold));
      FoldRecord record;
      record.fold = fold;
      record.status = "finished";
      record.bestEpoch = 1;
      record.checkpoint = checkpoint.string();
      store.upsertFold(id, record);
      store.addArtifact(id, {checkpoint.string(), "checkpoint", 0, ""});
    }
    writeFile(fs::path(info.runDir) / "oof.tsv", 300);
    store.setFields(id, {{"cv/val/acc/mean", accuracy, ""}});
    if (status != RunStatus::Running) store.finishRun(id, status, "", nowSeconds());
    return id;
  }
  std::string runDir(const std::string& uid) const { return dir.file("runs/" + uid); }
};

TEST(RunPruning, DryRunListsTheCheckpointsAndDeletesNothing) {
  Runs runs;
  const auto id = runs.add("a", 0.6);
  const auto plans = planPrune(runs.store, {id});
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_TRUE(plans[0].refused.empty()) << plans[0].refused;
  EXPECT_EQ(plans[0].files.size(), 2u);
  EXPECT_EQ(plans[0].bytes, 2010u);
  EXPECT_TRUE(fs::exists(runs.runDir("a") + "/fold-0/best.pt"));
  EXPECT_EQ(util::prunedNote(runs.runDir("a")), "");
}

TEST(RunPruning, FreesWhatItPlannedAndKeepsTheRest) {
  Runs runs;
  const auto id = runs.add("a", 0.6);
  const auto before = directoryBytes(runs.runDir("a"));
  const auto plans = planPrune(runs.store, {id});
  EXPECT_EQ(prune(runs.store, plans), plans[0].bytes);
  EXPECT_FALSE(fs::exists(runs.runDir("a") + "/fold-0/best.pt"));
  EXPECT_FALSE(fs::exists(runs.runDir("a") + "/fold-1/best.pt"));
  EXPECT_TRUE(fs::exists(runs.runDir("a") + "/oof.tsv"));
  EXPECT_NE(util::prunedNote(runs.runDir("a")).find("checkpoints deleted"), std::string::npos);
  const auto after = directoryBytes(runs.runDir("a"));
  EXPECT_EQ(before - after + fs::file_size(runs.runDir("a") + "/PRUNED"), plans[0].bytes);
  const auto detail = runs.store.showRun(id);
  std::map<std::string, double> fields;
  for (const auto& f : detail.fields)
    if (f.number) fields[f.key] = *f.number;
  EXPECT_EQ(fields.at("sys/pruned_bytes"), 2010.0);
  EXPECT_EQ(fields.at("sys/disk_bytes"), static_cast<double>(after));
  EXPECT_EQ(fields.at("cv/val/acc/mean"), 0.6) << "metrics stay";
  EXPECT_EQ(detail.folds.size(), 2u);
  // Pruning again finds nothing to delete.
  EXPECT_TRUE(planPrune(runs.store, {id})[0].files.empty());
}

TEST(RunPruning, LeavesARunningRunAlone) {
  Runs runs;
  const auto id = runs.add("live", 0.5, RunStatus::Running);
  const auto plans = planPrune(runs.store, {id});
  EXPECT_EQ(plans[0].refused, "still running");
  EXPECT_EQ(prune(runs.store, plans), 0u);
  EXPECT_TRUE(fs::exists(runs.runDir("live") + "/fold-0/best.pt"));
}

TEST(RunPruning, NeverDeletesOutsideTheRunsOwnDirectory) {
  Runs runs;
  const auto id = runs.add("a", 0.6);
  // A checkpoint recorded outside the run directory (an import, a crafted record) stays.
  const auto outside = runs.dir.file("elsewhere/best.pt");
  writeFile(outside, 500);
  runs.store.addArtifact(id, {outside, "checkpoint", 0, ""});
  const auto plans = planPrune(runs.store, {id});
  EXPECT_EQ(plans[0].files.size(), 2u);
  prune(runs.store, plans);
  EXPECT_TRUE(fs::exists(outside));

  // A run whose directory holds another run's summary is refused outright.
  const auto other = runs.add("b", 0.7);
  std::ofstream(runs.runDir("b") + "/summary.json") << "{\"run_id\": \"a\"}";
  const auto refused = planPrune(runs.store, {other});
  EXPECT_NE(refused[0].refused.find("holds the summary of run a"), std::string::npos) << refused[0].refused;
  EXPECT_EQ(prune(runs.store, refused), 0u);
  EXPECT_TRUE(fs::exists(runs.runDir("b") + "/fold-0/best.pt"));
}

TEST(RunPruning, SelectionKeepsTheBestAndHonoursFilterAndIds) {
  Runs runs;
  const auto low = runs.add("low", 0.5), mid = runs.add("mid", 0.6), high = runs.add("high", 0.7);
  PruneSelection keepOne;
  keepOne.keepBest = 1;
  EXPECT_EQ(selectRuns(runs.store, keepOne), (std::vector<std::int64_t>{mid, low}));
  PruneSelection byFilter;
  byFilter.filter = "cv/val/acc/mean < 0.65";
  auto filtered = selectRuns(runs.store, byFilter);
  std::sort(filtered.begin(), filtered.end());
  EXPECT_EQ(filtered, (std::vector<std::int64_t>{low, mid}));
  PruneSelection named;
  named.runs = {"high"};
  EXPECT_EQ(selectRuns(runs.store, named), (std::vector<std::int64_t>{high}));
}

TEST(RunPruning, FormatsSizesForPeople) {
  EXPECT_EQ(formatBytes(512), "512 B");
  EXPECT_EQ(formatBytes(131625875), "132 MB");
  EXPECT_EQ(formatBytes(2.63e9), "2.6 GB");
}

}  // namespace
}  // namespace foldbench::tracker
