#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "foldbench/config/experiment_config.h"
#include "foldbench/tracker/batched_writer.h"
#include "foldbench/tracker/field_names.h"
#include "foldbench/tracker/run_store.h"
#include <sqlite3.h>

#include "file_system_kind.h"
#include "schema.h"
#include "temp_dir.h"

namespace foldbench::tracker {
namespace {

RunInfo info(const std::string& uid, const std::string& name = "r") {
  RunInfo i;
  i.uid = uid;
  i.name = name;
  i.createdAt = nowSeconds();
  i.host = hostName();
  i.pid = static_cast<int>(getpid());
  i.configJson = "{}";
  return i;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(RunStore, CreatesTheSchemaAndReopens) {
  testing::TempDir dir;
  const auto path = dir.file("experiments.db");
  {
    auto store = RunStore::open(path);
    store.createRun(info("a"), {{"train.lr", "0.001"}, {"model.family", "ngram"}});
  }
  auto store = RunStore::open(path);
  EXPECT_EQ(store.integrityCheck(), "ok");
  const auto d = store.showRun(store.resolve("a"));
  EXPECT_EQ(d.params.at("model.family"), "ngram");
  EXPECT_EQ(d.info.status, RunStatus::Running);
  Database db(path, Database::Mode::ReadOnly, false);
  EXPECT_EQ(storedSchemaVersion(db), kSchemaVersion);
}

TEST(RunStore, MigratesAVersionOneFileKeepingItsData) {
  testing::TempDir dir;
  const auto path = dir.file("old.db");
  {
    Database db(path, Database::Mode::ReadWrite, true);
    migrate(db, 1);
    db.exec("INSERT INTO experiments(id, name) VALUES(1, 'default');"
            "INSERT INTO runs(id, uid, experiment_id, name, status, created_at) VALUES(1, 'old', 1, 'o', 'finished', 1);"
            "INSERT INTO series_names(id, name) VALUES(1, 'fold/0/train/loss');"
            "INSERT INTO metrics VALUES(1, 1, 1, 1, 0.9, 1), (1, 1, 2, 1, 0.5, 2), (1, 1, 3, 2, 0.7, 3);");
    ASSERT_EQ(storedSchemaVersion(db), 1);
  }
  auto store = RunStore::open(path);
  const auto d = store.showRun(1);
  ASSERT_EQ(d.series.size(), 1u);
  EXPECT_DOUBLE_EQ(d.series[0].last, 0.7);
  EXPECT_DOUBLE_EQ(d.series[0].min, 0.5);
  EXPECT_EQ(d.series[0].count, 3);
  EXPECT_EQ(store.series(1, "fold/0/train/loss").size(), 3u);
}

TEST(FieldNames, SeedFieldsMapOneToOne) {
  EXPECT_EQ(names::fromSeedField("0-th val_acc_score"), "fold/0/val/acc");
  EXPECT_EQ(names::fromSeedField("3-th train_acc_score"), "fold/3/train/acc");
  EXPECT_EQ(names::fromSeedField("4-th model_saved_dir"), "fold/4/checkpoint");
  EXPECT_EQ(names::fromSeedField("5-fold val acc list"), "cv/val/acc/list");
  EXPECT_EQ(names::fromSeedField("5-fold val average acc"), "cv/val/acc/mean");
  EXPECT_FALSE(names::fromSeedField("learning rate").has_value());
  EXPECT_EQ(names::fold(2, "val/micro_f1"), "fold/2/val/micro_f1");
}

TEST(RunStore, SummariesFollowTheSeries) {
  testing::TempDir dir;
  auto store = RunStore::open(dir.file("e.db"));
  const auto run = store.createRun(info("s"), {});
  store.writeMetrics(run, {{"fold/0/val/acc", 10, 1, 0.5, 1}, {"fold/0/val/acc", 20, 2, 0.7, 2}});
  store.writeMetrics(run, {{"fold/0/val/acc", 30, 3, 0.6, 3}, {"fold/0/train/loss", 30, 3, 1.5, 3}});
  const auto d = store.showRun(run);
  ASSERT_EQ(d.series.size(), 2u);
  const auto& acc = d.series[1];
  EXPECT_EQ(acc.name, "fold/0/val/acc");
  EXPECT_DOUBLE_EQ(acc.last, 0.6);
  EXPECT_DOUBLE_EQ(acc.max, 0.7);
  EXPECT_DOUBLE_EQ(acc.min, 0.5);
  EXPECT_NEAR(acc.mean, 0.6, 1e-12);
  EXPECT_EQ(acc.count, 3);
  EXPECT_EQ(store.metricCount(run), 4);
}

TEST(RunStore, SeriesComeBackSortedWithTheLatestValuePerStep) {
  testing::TempDir dir;
  auto store = RunStore::open(dir.file("e.db"));
  const auto run = store.createRun(info("c"), {});
  std::vector<MetricPoint> many;
  for (int i = 9999; i >= 0; --i) many.push_back({"m", i, i / 100, i * 0.5, 1.0 * i});
  store.writeMetrics(run, many);  // more than one chunk, written in reverse
  store.writeMetrics(run, {{"m", 5, 0, -1.0, 2.0}});  // step 5 logged again
  const auto s = store.series(run, "m");
  ASSERT_EQ(s.size(), 10000u);
  EXPECT_TRUE(std::is_sorted(s.steps.begin(), s.steps.end()));
  EXPECT_DOUBLE_EQ(s.values[5], -1.0);
  EXPECT_DOUBLE_EQ(s.values[9999], 9999 * 0.5);
  EXPECT_EQ(s.epochs[250], 2);
  EXPECT_EQ(store.series(run, "missing").size(), 0u);
}

TEST(RunStore, ListsFiltersSortsAndResolves) {
  testing::TempDir dir;
  auto store = RunStore::open(dir.file("e.db"));
  for (int i = 0; i < 5; ++i) {
    const auto run = store.createRun(info("20261129-00000" + std::to_string(i), i % 2 ? "klue" : "sample"),
                                     {{"model.family", i % 2 ? "ngram" : "transformer"}});
    store.setFields(run, {{"cv/val/acc/mean", 0.5 + 0.05 * i, ""}});
    store.finishRun(run, i == 4 ? RunStatus::Failed : RunStatus::Finished, "", nowSeconds());
    if (i < 2) store.addTags(run, {"baseline"});
  }
  ListQuery q;
  q.filter = "cv/val/acc/mean >= 0.6 and status = finished";
  q.sort = "-cv/val/acc/mean";
  q.fields = {"cv/val/acc/mean"};
  auto rows = store.listRuns(q);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].info.uid, "20261129-000003");
  EXPECT_NEAR(*rows[0].fields.at("cv/val/acc/mean").number, 0.65, 1e-12);
  q.filter = "tag = baseline or params.model.family = ngram";
  q.sort = "uid";
  rows = store.listRuns(q);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2].info.uid, "20261129-000003");
  q.filter = "name ~ lue";
  EXPECT_EQ(store.listRuns(q).size(), 2u);
  q.filter = "";
  q.limit = 2;
  EXPECT_EQ(store.listRuns(q).size(), 2u);
  EXPECT_EQ(store.showRun(store.resolve("20261129-000004")).info.status, RunStatus::Failed);
  EXPECT_THROW(store.resolve("2026"), StoreError) << "ambiguous prefix";
  EXPECT_THROW(store.resolve("nope"), StoreError);
}

TEST(RunStore, HostileFilterValuesStayValues) {
  testing::TempDir dir;
  auto store = RunStore::open(dir.file("e.db"));
  store.createRun(info("x"), {});
  ListQuery q;
  q.filter = "name = \"x'; DROP TABLE runs; --\" or status = 'running' ) --";
  EXPECT_THROW(store.listRuns(q), std::invalid_argument);
  q.filter = "name = \"x'; DROP TABLE runs; --\"";
  EXPECT_TRUE(store.listRuns(q).empty());
  q.filter = "cv/val/acc/mean > \"0) OR 1=1 --\"";
  EXPECT_TRUE(store.listRuns(q).empty());
  q.filter = "";
  EXPECT_EQ(store.listRuns(q).size(), 1u) << "the runs table survived";
  q.sort = "name; DROP TABLE runs";
  EXPECT_EQ(store.listRuns(q).size(), 1u) << "an unknown sort key is a field key, bound as a value";
}

TEST(RunStore, DeletesRunsAndOptionallyTheirFiles) {
  testing::TempDir dir;
  auto store = RunStore::open(dir.file("e.db"));
  auto i = info("d");
  i.runDir = dir.file("runs/d");
  std::filesystem::create_directories(i.runDir);
  const auto artifact = dir.write("runs/d/best.pt", "weights");
  dir.write("runs/d/summary.json", R"({"run_id": "d"})");
  const auto run = store.createRun(i, {{"a", "1"}});
  store.writeMetrics(run, {{"m", 1, 1, 1.0, 1}});
  store.addArtifact(run, {artifact, "checkpoint", 7, sha256File(artifact)});
  store.addTags(run, {"t"});
  const auto keep = store.createRun(info("keep"), {});
  store.finishRun(run, RunStatus::Finished, "", nowSeconds());
  store.deleteRun(run, /*withFiles=*/true);
  EXPECT_THROW(store.showRun(run), StoreError);
  EXPECT_EQ(store.metricCount(run), 0);
  EXPECT_FALSE(std::filesystem::exists(artifact));
  EXPECT_FALSE(std::filesystem::exists(i.runDir));
  EXPECT_NO_THROW(store.showRun(keep));
}

TEST(RunStore, DeadRunsAreMarkedCrashed) {
  testing::TempDir dir;
  const auto path = dir.file("e.db");
  {
    auto store = RunStore::open(path);
    auto dead = info("dead");
    const pid_t child = fork();
    if (child == 0) _exit(0);
    waitpid(child, nullptr, 0);
    dead.pid = child;  // a process that no longer exists
    store.createRun(dead, {});
    auto stale = info("stale");
    stale.host = "another-host";
    stale.createdAt = nowSeconds() - 120;
    store.createRun(stale, {});
    store.createRun(info("alive"), {});
  }
  auto store = RunStore::open(path);  // opening checks
  EXPECT_EQ(store.showRun(store.resolve("dead")).info.status, RunStatus::Crashed);
  EXPECT_EQ(store.showRun(store.resolve("stale")).info.status, RunStatus::Crashed);
  EXPECT_EQ(store.showRun(store.resolve("alive")).info.status, RunStatus::Running);
}

TEST(RunStore, ReadOnlyViewsTellDeadRunsWithoutWriting) {
  auto dead = info("dead");
  const pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  dead.pid = child;
  dead.heartbeatAt = nowSeconds();
  EXPECT_TRUE(runLooksDead(dead, kStaleHeartbeatSeconds, nowSeconds()));
  auto alive = info("alive");
  alive.heartbeatAt = nowSeconds();
  alive.host = "another-host";  // only the heartbeat tells
  EXPECT_FALSE(runLooksDead(alive, kStaleHeartbeatSeconds, nowSeconds()));
  EXPECT_TRUE(runLooksDead(alive, kStaleHeartbeatSeconds, nowSeconds() + 60));
  alive.status = RunStatus::Finished;
  EXPECT_FALSE(runLooksDead(alive, kStaleHeartbeatSeconds, nowSeconds() + 60));
}

// A paused process (Ctrl+Z, a debugger, a suspended laptop) writes no heartbeat, but its run
// is alive; a zombie, or a newer process that reuses the pid, is not.
TEST(RunStore, ALiveProcessOnThisHostMeansALiveRunWhateverTheHeartbeat) {
  const pid_t paused = fork();
  if (paused == 0) {
    pause();
    _exit(0);
  }
  ASSERT_GT(paused, 0);
  kill(paused, SIGSTOP);
  auto run = info("paused");
  run.pid = paused;
  run.heartbeatAt = nowSeconds();
  const bool pausedLooksDead = runLooksDead(run, kStaleHeartbeatSeconds, nowSeconds() + 120);
  kill(paused, SIGKILL);
  waitpid(paused, nullptr, 0);
  EXPECT_FALSE(pausedLooksDead);
}

TEST(RunStore, AZombieProcessDoesNotKeepItsRunAlive) {
  const pid_t zombie = fork();
  if (zombie == 0) _exit(0);
  ASSERT_GT(zombie, 0);
  auto run = info("zombie");
  run.pid = zombie;
  // Not reaped: the pid stays in the process table as a zombie, and kill(pid, 0) succeeds.
  // The child needs a moment to exit: poll for up to 2 s.
  bool dead = false;
  for (int i = 0; i < 200 && !dead; ++i) {
    run.heartbeatAt = nowSeconds();
    dead = runLooksDead(run, kStaleHeartbeatSeconds, nowSeconds());
    if (!dead) usleep(10000);
  }
  EXPECT_EQ(kill(zombie, 0), 0);
  EXPECT_TRUE(dead);
  waitpid(zombie, nullptr, 0);
}

TEST(RunStore, AProcessThatStartedAfterTheRunsLastHeartbeatIsNotItsProcess) {
  auto run = info("reused pid");  // this test's own pid, which started long after the run was seen
  run.createdAt = run.heartbeatAt = nowSeconds() - 10 * 24 * 3600.0;
  EXPECT_TRUE(runLooksDead(run, kStaleHeartbeatSeconds, nowSeconds()));
  run.createdAt = run.heartbeatAt = nowSeconds();
  EXPECT_FALSE(runLooksDead(run, kStaleHeartbeatSeconds, nowSeconds() + 3600));
}

TEST(RunStore, DataVersionMovesOnlyWhenAnotherConnectionCommits) {
  testing::TempDir dir;
  const auto path = dir.file("e.db");
  auto writer = RunStore::open(path);
  const auto run = writer.createRun(info("a"), {});
  const auto reader = RunStore::open(path, RunStore::Access::ReadOnly);
  const auto before = reader.dataVersion();
  EXPECT_EQ(reader.dataVersion(), before);
  writer.renameRun(run, "renamed");
  EXPECT_NE(reader.dataVersion(), before);
  EXPECT_EQ(reader.showRun(run).info.name, "renamed");
}

TEST(RunStore, ASnapshotSeesOneStateAcrossStatements) {
  testing::TempDir dir;
  const auto path = dir.file("e.db");
  auto writer = RunStore::open(path);
  writer.createRun(info("a"), {});
  const auto reader = RunStore::open(path, RunStore::Access::ReadOnly);
  {
    const RunStore::Snapshot snapshot(reader);
    EXPECT_EQ(reader.listRuns({}).size(), 1u);
    writer.createRun(info("b"), {});
    EXPECT_EQ(reader.listRuns({}).size(), 1u);  // the writer's commit is not half-visible
    EXPECT_THROW(reader.resolve("b"), StoreError);
  }
  EXPECT_EQ(reader.listRuns({}).size(), 2u);
}

TEST(RunStore, SeriesAfterAStepReadsOnlyNewPoints) {
  testing::TempDir dir;
  auto store = RunStore::open(dir.file("e.db"));
  const auto run = store.createRun(info("a"), {});
  std::vector<MetricPoint> first, second;
  for (int step = 1; step <= 10; ++step) first.push_back({"fold/0/train/loss", step, 1, 1.0 / step, 0.0});
  for (int step = 11; step <= 15; ++step) second.push_back({"fold/0/train/loss", step, 2, 1.0 / step, 0.0});
  store.writeMetrics(run, first);
  store.writeMetrics(run, second);
  const auto after7 = store.seriesAfter(run, "fold/0/train/loss", 7);
  ASSERT_EQ(after7.size(), 8u);
  EXPECT_EQ(after7.steps.front(), 8);
  EXPECT_EQ(after7.steps.back(), 15);
  EXPECT_EQ(store.seriesAfter(run, "fold/0/train/loss", 15).size(), 0u);
  EXPECT_EQ(store.series(run, "fold/0/train/loss").size(), 15u);
}

TEST(RunStore, ListsOnlyRunsTouchedSinceATime) {
  testing::TempDir dir;
  auto store = RunStore::open(dir.file("e.db"));
  auto old = info("old");
  old.createdAt = 1000.0;
  const auto finishedLongAgo = store.createRun(old, {});
  store.finishRun(finishedLongAgo, RunStatus::Finished, "", 1100.0);
  auto stillRunning = info("running");
  stillRunning.createdAt = 1000.0;
  const auto running = store.createRun(stillRunning, {});
  auto late = info("late");
  late.createdAt = 5000.0;
  store.createRun(late, {});
  store.heartbeat({running}, 5000.0);
  ListQuery q;
  q.touchedSince = 4000.0;
  q.sort = "uid";
  auto rows = store.listRuns(q);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].info.uid, "late");
  EXPECT_EQ(rows[1].info.uid, "running");
  q.filter = "name ~ nothing";
  EXPECT_TRUE(store.listRuns(q).empty());  // the user's filter still applies
  store.finishRun(finishedLongAgo, RunStatus::Finished, "", 6000.0);
  q.filter.clear();
  q.touchedSince = 5500.0;
  rows = store.listRuns(q);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].info.uid, "old");
}

TEST(RunStore, ListsRequestedParametersWithEachRun) {
  testing::TempDir dir;
  auto store = RunStore::open(dir.file("e.db"));
  store.createRun(info("a"), {{"train.lr", "0.001"}, {"model.family", "ngram"}});
  store.createRun(info("b"), {{"train.lr", "0.003"}});
  ListQuery q;
  q.sort = "uid";
  q.params = {"train.lr", "model.family"};
  const auto rows = store.listRuns(q);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].params.at("model.family"), "ngram");
  EXPECT_EQ(rows[1].params.at("train.lr"), "0.003");
  EXPECT_EQ(rows[1].params.count("model.family"), 0u);
}

TEST(RunStore, DeletingFilesRefusesADirectoryThatIsNotTheRunsOwn) {
  testing::TempDir dir;
  auto store = RunStore::open(dir.file("e.db"));
  // A crafted (or imported) record naming a directory of the user's.
  std::filesystem::create_directories(dir.file("precious"));
  dir.write("precious/thesis.tex", "years of work");
  auto crafted = info("crafted");
  crafted.runDir = dir.file("precious");
  const auto a = store.createRun(crafted, {});
  store.finishRun(a, RunStatus::Finished, "", nowSeconds());
  EXPECT_THROW(store.deleteRun(a, /*withFiles=*/true), StoreError);
  EXPECT_TRUE(std::filesystem::exists(dir.file("precious/thesis.tex")));
  EXPECT_NO_THROW(store.showRun(a));  // nothing deleted, not even the record
  // Named like the run but holding another run's summary: refused too.
  std::filesystem::create_directories(dir.file("runs/other"));
  dir.write("runs/other/summary.json", R"({"run_id": "someone-else"})");
  auto other = info("other");
  other.runDir = dir.file("runs/other");
  const auto b = store.createRun(other, {});
  store.finishRun(b, RunStatus::Finished, "", nowSeconds());
  EXPECT_THROW(store.deleteRun(b, true), StoreError);
  EXPECT_TRUE(std::filesystem::exists(dir.file("runs/other/summary.json")));
  // Without files, the record goes and the directory stays.
  store.deleteRun(a, false);
  EXPECT_THROW(store.showRun(a), StoreError);
  EXPECT_TRUE(std::filesystem::exists(dir.file("precious/thesis.tex")));
}

TEST(RunStore, AFolderWithoutSummaryIsTheRunsOwnWhenItHoldsTheConfigRecordedForIt) {
  // A crashed run, or a cluster run whose jobs were cancelled before its merge, has no summary.
  testing::TempDir dir;
  auto store = RunStore::open(dir.file("e.db"));
  const auto add = [&](const std::string& uid, const config::ExperimentConfig& inFolder) {
    auto i = info(uid);
    i.configJson = config::toJson(config::preset("sample"));
    i.runDir = dir.file("runs/" + uid);
    std::filesystem::create_directories(i.runDir + "/fold-0");
    config::saveConfig(inFolder, i.runDir + "/config.json");
    const auto run = store.createRun(i, {});
    store.finishRun(run, RunStatus::Failed, "killed", nowSeconds());
    return run;
  };
  const auto own = add("own", config::preset("sample"));
  store.deleteRun(own, /*withFiles=*/true);
  EXPECT_FALSE(std::filesystem::exists(dir.file("runs/own")));
  // Named after the run, but its config.json is another experiment's: not known to be its own.
  const auto foreign = add("foreign", config::ExperimentConfig{});
  try {
    store.deleteRun(foreign, true);
    FAIL() << "deleted a folder whose config.json is not the run's";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("nor the config.json recorded for it"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(std::filesystem::exists(dir.file("runs/foreign/fold-0")));
  // A folder already gone leaves nothing to check: the record goes.
  std::filesystem::remove_all(dir.file("runs/foreign"));
  store.deleteRun(foreign, true);
  EXPECT_THROW(store.showRun(foreign), StoreError);
}

TEST(RunStore, AQueuedClusterRunIsDeletedOnlyWhenItWasNeverSubmitted) {
  testing::TempDir dir;
  auto store = RunStore::open(dir.file("e.db"));
  auto i = info("queued");
  i.host = std::string(kClusterHostPrefix) + "login";
  i.pid = 0;
  i.status = RunStatus::Queued;
  i.runDir = dir.file("runs/queued");
  std::filesystem::create_directories(i.runDir + "/slurm");
  const auto run = store.createRun(i, {});
  // submit.sh recorded its jobs: refused, naming them and what to do.
  dir.write("runs/queued/slurm/jobs", "101 102\n");
  try {
    store.deleteRun(run, false);
    FAIL() << "deleted a submitted queued run";
  } catch (const StoreError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("(Slurm jobs 101 102)"), std::string::npos) << what;
    EXPECT_NE(what.find("scancel 101 102"), std::string::npos) << what;
    EXPECT_NE(what.find("foldbench-cli cluster status --run " + i.runDir), std::string::npos) << what;
  }
  // Queued again by a submit.sh that has not recorded its jobs yet: refused for now.
  std::filesystem::remove(dir.file("runs/queued/slurm/jobs"));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  store.markQueued(run);
  try {
    store.deleteRun(run, false);
    FAIL() << "deleted a run being submitted";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("is being submitted"), std::string::npos) << e.what();
  }
  // Never submitted: no task can write its folder.
  auto fresh = info("fresh");
  fresh.host = i.host;
  fresh.pid = 0;
  fresh.status = RunStatus::Queued;
  fresh.runDir = dir.file("runs/fresh");
  std::filesystem::create_directories(fresh.runDir);
  const auto freshRun = store.createRun(fresh, {});
  // ...unless fold tasks started there by hand.
  dir.write("runs/fresh/fold-0.db", "");
  EXPECT_THROW(store.deleteRun(freshRun, false), StoreError);
  std::filesystem::remove(dir.file("runs/fresh/fold-0.db"));
  store.deleteRun(freshRun, false);
  EXPECT_THROW(store.showRun(freshRun), StoreError);
}

TEST(RunStore, ALiveRunCannotBeDeletedAndIdsAreNeverReused) {
  testing::TempDir dir;
  auto store = RunStore::open(dir.file("e.db"));
  const auto live = store.createRun(info("live"), {});
  EXPECT_THROW(store.deleteRun(live, false), StoreError);
  EXPECT_NO_THROW(store.resolve("live"));
  store.finishRun(live, RunStatus::Finished, "", nowSeconds());
  const auto last = store.createRun(info("last"), {});
  store.finishRun(last, RunStatus::Finished, "", nowSeconds());
  store.deleteRun(last, false);
  const auto next = store.createRun(info("next"), {});
  EXPECT_GT(next, last) << "the deleted run's id was given to a new run";
}

TEST(RunStore, ARewrittenStepKeepsTheValueWrittenLast) {
  testing::TempDir dir;
  auto store = RunStore::open(dir.file("e.db"));
  const auto run = store.createRun(info("r"), {});
  std::vector<MetricPoint> first, again;
  for (int step = 5; step <= 10; ++step) first.push_back({"loss", step, 1, 1.0, 0});
  for (int step = 1; step <= 5; ++step) again.push_back({"loss", step, 1, 2.0, 0});  // a resumed run logs 1..5 again
  store.writeMetrics(run, first);
  store.writeMetrics(run, again);
  const auto s = store.series(run, "loss");
  ASSERT_EQ(s.size(), 10u);
  EXPECT_EQ(s.steps[4], 5);
  EXPECT_EQ(s.values[4], 2.0) << "step 5 came back with the value written first";
  EXPECT_EQ(s.values[5], 1.0);
}

TEST(RunStore, ASeriesNameFromARolledBackWriteIsNotRemembered) {
  testing::TempDir dir;
  const auto path = dir.file("e.db");
  auto store = RunStore::open(path);
  const auto run = store.createRun(info("r"), {});
  {
    Database db(path, Database::Mode::ReadWrite, false);
    db.exec("CREATE TRIGGER refuse BEFORE INSERT ON metric_chunks BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
  }
  EXPECT_THROW(store.writeMetrics(run, {{"new/series", 1, 1, 1.0, 0}}), StoreError);
  {
    Database db(path, Database::Mode::ReadWrite, false);
    db.exec("DROP TRIGGER refuse");
  }
  store.writeMetrics(run, {{"new/series", 2, 1, 3.0, 0}});
  const auto s = store.series(run, "new/series");
  ASSERT_EQ(s.size(), 1u) << "the points went to a series id whose name row was rolled back";
  EXPECT_EQ(s.values[0], 3.0);
}

TEST(RunStore, ImportWritesSummariesByNameNotPosition) {
  testing::TempDir dir;
  const auto source = dir.file("job.db");
  {
    auto store = RunStore::open(source);
    const auto run = store.createRun(info("job"), {});
    store.writeMetrics(run, {{"acc", 1, 1, 0.25, 0}, {"acc", 2, 1, 0.75, 0}});
  }
  const auto main = dir.file("main.db");
  { RunStore::open(main); }
  {
    // The target's summary table has the same columns in another order (written by another
    // release, say): values must land in their columns, not in their positions.
    Database db(main, Database::Mode::ReadWrite, false);
    db.exec("DROP TABLE series_summary");
    db.exec("CREATE TABLE series_summary(count INTEGER, sum REAL, max REAL, min REAL, last REAL, last_step INTEGER, "
            "series_id INTEGER NOT NULL, run_id INTEGER NOT NULL, PRIMARY KEY(run_id, series_id)) WITHOUT ROWID");
  }
  auto target = RunStore::open(main);
  ASSERT_EQ(target.importFrom(source).imported, 1);
  const auto detail = target.showRun(target.resolve("job"));
  ASSERT_EQ(detail.series.size(), 1u);
  EXPECT_EQ(detail.series[0].count, 2);
  EXPECT_DOUBLE_EQ(detail.series[0].last, 0.75);
  EXPECT_DOUBLE_EQ(detail.series[0].min, 0.25);
  EXPECT_DOUBLE_EQ(detail.series[0].max, 0.75);
}

TEST(RunStore, ErrorsSayWhatKindTheyAre) {
  testing::TempDir dir;
  const auto kindOf = [](const std::function<void()>& fn) {
    try {
      fn();
    } catch (const StoreError& e) {
      return e.kind();
    }
    return StoreError::Kind::Other;
  };
  EXPECT_EQ(kindOf([&] { RunStore::open(dir.write("text.db", "plain text, not SQLite")); }), StoreError::Kind::NotATracker);
  EXPECT_EQ(kindOf([&] { RunStore::open(dir.file("none.db"), RunStore::Access::ReadOnly); }), StoreError::Kind::NotFound);
  const auto path = dir.file("e.db");
  auto store = RunStore::open(path);
  const auto live = store.createRun(info("live"), {});
  EXPECT_EQ(kindOf([&] { store.deleteRun(live, false); }), StoreError::Kind::Refused);
  EXPECT_EQ(kindOf([&] { store.resolve("nothing-like-this"); }), StoreError::Kind::NotFound);
  const auto reader = RunStore::open(path, RunStore::Access::ReadOnly);
  EXPECT_EQ(kindOf([&] { const_cast<RunStore&>(reader).addTags(live, {"x"}); }), StoreError::Kind::ReadOnly);
  {
    Database db(path, Database::Mode::ReadWrite, false);
    db.exec("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
  }
  EXPECT_EQ(kindOf([&] { RunStore::open(path); }), StoreError::Kind::NewerSchema);
}

TEST(RunStore, ADamagedDatabaseIsRefusedAndLeftAsItWas) {
  // Refusing a damaged tracker must not add files beside it (SQLite makes -wal and -shm when it
  // opens a WAL database), while a -wal left by a crash is kept: it may hold the last commits.
  testing::TempDir dir;
  const auto path = dir.file("damaged.db");
  {
    auto store = RunStore::open(path);
    for (int i = 0; i < 20; ++i) store.createRun(info("run-" + std::to_string(i)), {{"train.lr", "0.01"}});
  }
  ASSERT_FALSE(std::filesystem::exists(path + "-wal"));
  {
    // Garbage over the schema page, past the 100-byte file header (which keeps WAL mode).
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(100);
    const std::string garbage(3000, '\x5a');
    file.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  const auto refused = [&](RunStore::Access access) {
    try {
      RunStore::open(path, access);
    } catch (const StoreError& e) {
      return std::string(e.what());
    }
    return std::string("<opened>");
  };
  for (auto access : {RunStore::Access::ReadWrite, RunStore::Access::ReadOnly}) {
    EXPECT_NE(refused(access).find(path), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(path + "-wal")) << "a -wal was left beside the damaged file";
    EXPECT_FALSE(std::filesystem::exists(path + "-shm")) << "a -shm was left beside the damaged file";
  }
  dir.write("damaged.db-wal", "");  // one that was there before: not ours to remove
  refused(RunStore::Access::ReadWrite);
  EXPECT_TRUE(std::filesystem::exists(path + "-wal"));
}

TEST(RunStore, ImportIsIdempotent) {
  testing::TempDir dir;
  {
    auto job = RunStore::open(dir.file("job.db"));
    const auto run = job.createRun(info("cluster-1"), {{"train.lr", "0.01"}});
    job.writeMetrics(run, {{"fold/0/val/acc", 1, 1, 0.6, 1}, {"fold/0/val/acc", 2, 2, 0.7, 2}});
    job.setFields(run, {{"cv/val/acc/mean", 0.7, ""}});
    job.upsertFold(run, {0, "finished", 2, 0.9, 0.7, 0.6, 1.1, "fold-0/best.pt"});
    job.addTags(run, {"cluster"});
    job.finishRun(run, RunStatus::Finished, "", nowSeconds());
  }
  auto main = RunStore::open(dir.file("main.db"));
  main.createRun(info("local"), {});
  auto first = main.importFrom(dir.file("job.db"));
  EXPECT_EQ(first.imported, 1);
  auto second = main.importFrom(dir.file("job.db"));
  EXPECT_EQ(second.imported, 0);
  EXPECT_EQ(second.skipped, 1);
  ListQuery all;
  EXPECT_EQ(main.listRuns(all).size(), 2u);
  const auto d = main.showRun(main.resolve("cluster-1"));
  EXPECT_EQ(d.params.at("train.lr"), "0.01");
  EXPECT_EQ(d.folds.size(), 1u);
  EXPECT_EQ(d.tags, std::vector<std::string>{"cluster"});
  ASSERT_EQ(d.series.size(), 1u);
  EXPECT_DOUBLE_EQ(d.series[0].last, 0.7);
  EXPECT_EQ(main.series(d.id, "fold/0/val/acc").size(), 2u);
  EXPECT_THROW(main.importFrom(dir.file("main.db")), StoreError);
}

TEST(RunStore, RefusesFilesThatAreNotFoldbenchDatabasesWithoutTouchingThem) {
  testing::TempDir dir;
  const auto text = dir.write("notes.db", "these are my notes, not a database\n");
  const auto before = slurp(text);
  EXPECT_THROW(RunStore::open(text), StoreError);
  EXPECT_EQ(slurp(text), before);

  const auto other = dir.file("other.db");
  {
    Database db(other, Database::Mode::ReadWrite, true);
    db.exec("CREATE TABLE customers(id INTEGER, name TEXT); INSERT INTO customers VALUES(1, 'kim');");
  }
  const auto otherBefore = slurp(other);
  try {
    RunStore::open(other);
    FAIL();
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("not a Foldbench database"), std::string::npos);
  }
  EXPECT_EQ(slurp(other), otherBefore);
  EXPECT_FALSE(std::filesystem::exists(other + "-wal"));
}

TEST(RunStore, RefusesANewerSchema) {
  testing::TempDir dir;
  const auto path = dir.file("future.db");
  { RunStore::open(path); }
  {
    Database db(path, Database::Mode::ReadWrite, false);
    db.exec("UPDATE meta SET value = '99' WHERE key = 'schema_version'");
  }
  const auto before = slurp(path);
  try {
    RunStore::open(path);
    FAIL();
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos);
  }
  EXPECT_EQ(slurp(path), before);
}

TEST(RunStore, ReadOnlyAccessRefusesWrites) {
  testing::TempDir dir;
  const auto path = dir.file("e.db");
  { RunStore::open(path).createRun(info("a"), {}); }
  auto store = RunStore::open(path, RunStore::Access::ReadOnly);
  EXPECT_EQ(store.listRuns({}).size(), 1u);
  EXPECT_THROW(store.addNote(1, "x", 0), StoreError);
  EXPECT_THROW(RunStore::open(dir.file("missing.db"), RunStore::Access::ReadOnly), StoreError);
}

TEST(RunStore, ReadOnlyFileIsAClearError) {
  testing::TempDir dir;
  const auto path = dir.file("e.db");
  { RunStore::open(path).createRun(info("a"), {}); }
  // Root ignores permission bits, but not the immutable attribute (ext4, xfs, btrfs).
  const bool root = geteuid() == 0;
  if (root && std::system(("chattr +i '" + path + "' 2>/dev/null").c_str()) != 0)
    GTEST_SKIP() << "running as root on a file system without the immutable attribute";
  if (!root) chmod(path.c_str(), 0444);
  struct Restore {
    std::string path;
    bool root;
    ~Restore() {
      if (root) std::system(("chattr -i '" + path + "'").c_str());
    }
  } restore{path, root};
  try {
    RunStore::open(path);
    FAIL() << "a read-only file was opened for writing";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.kind(), StoreError::Kind::ReadOnly) << e.what();
    EXPECT_NE(std::string(e.what()).find("read-only"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(RunStore::open(path, RunStore::Access::ReadOnly).listRuns({}));
}

TEST(RunStore, AFullDiskIsAClearErrorAndLeavesAHealthyFile) {
  testing::TempDir dir;
  const auto path = dir.file("e.db");
  { RunStore::open(path).createRun(info("before"), {}); }
  // In a child whose file size limit is the current size, writes fail like on a full disk.
  const pid_t child = fork();
  if (child == 0) {
    signal(SIGXFSZ, SIG_IGN);
    try {
      auto store = RunStore::open(path);
      const auto run = store.resolve("before");
      const rlimit limit{static_cast<rlim_t>(std::filesystem::file_size(path) + 4096),
                         static_cast<rlim_t>(std::filesystem::file_size(path) + 4096)};
      setrlimit(RLIMIT_FSIZE, &limit);
      std::vector<MetricPoint> points;
      for (int i = 0; i < 200000; ++i) points.push_back({"m", i, 0, 1.0 * i, 0});
      store.writeMetrics(run, points);
      _exit(1);  // should not get here
    } catch (const StoreError& e) {
      _exit(std::string(e.what()).find(path) != std::string::npos ? 0 : 3);
    } catch (...) {
      _exit(4);
    }
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "the write must fail with a StoreError naming the file";
  auto store = RunStore::open(path);
  EXPECT_EQ(store.integrityCheck(), "ok");
  EXPECT_EQ(store.metricCount(store.resolve("before")), 0) << "the failed batch was rolled back";
}

TEST(RunStore, ReadersSeeAConsistentStoreWhileAWriterWrites) {
  testing::TempDir dir;
  const auto path = dir.file("e.db");
  std::int64_t run;
  { run = RunStore::open(path).createRun(info("live"), {}); }
  std::atomic<bool> done{false};
  std::thread writer([&] {
    auto store = RunStore::open(path);
    for (int batch = 0; batch < 50; ++batch) {
      std::vector<MetricPoint> points;
      for (int i = 0; i < 200; ++i) points.push_back({"fold/0/batch/loss", batch * 200 + i, 1, 1.0, 0});
      store.writeMetrics(run, points);
    }
    done = true;
  });
  std::int64_t lastSeen = 0;
  int reads = 0;
  auto reader = RunStore::open(path, RunStore::Access::ReadOnly);
  while (!done || reads == 0) {
    const auto n = static_cast<std::int64_t>(reader.series(run, "fold/0/batch/loss").size());
    EXPECT_EQ(n % 200, 0) << "a reader never sees half a batch";
    EXPECT_GE(n, lastSeen);
    lastSeen = n;
    ++reads;
  }
  writer.join();
  EXPECT_EQ(reader.metricCount(run), 10000);
}

TEST(RunStore, TwoWriterProcessesShareOneFile) {
  testing::TempDir dir;
  const auto path = dir.file("e.db");
  { RunStore::open(path); }
  std::vector<pid_t> children;
  for (int p = 0; p < 2; ++p) {
    const pid_t child = fork();
    if (child == 0) {
      try {
        auto store = RunStore::open(path);
        for (int r = 0; r < 20; ++r) {
          const auto run = store.createRun(info("p" + std::to_string(p) + "-" + std::to_string(r)), {});
          std::vector<MetricPoint> points;
          for (int i = 0; i < 100; ++i) points.push_back({"m", i, 0, 1.0, 0});
          store.writeMetrics(run, points);
          store.finishRun(run, RunStatus::Finished, "", nowSeconds());
        }
        _exit(0);
      } catch (...) {
        _exit(1);
      }
    }
    children.push_back(child);
  }
  for (pid_t c : children) {
    int status = 0;
    waitpid(c, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  auto store = RunStore::open(path);
  ListQuery q;
  q.filter = "status = finished";
  EXPECT_EQ(store.listRuns(q).size(), 40u);
  EXPECT_EQ(store.integrityCheck(), "ok");
}

TEST(BatchedWriter, WritesEverythingInOrderOffTheCallerThread) {
  testing::TempDir dir;
  const auto path = dir.file("e.db");
  std::int64_t run;
  { run = RunStore::open(path).createRun(info("w"), {}); }
  {
    BatchedWriter writer(path, 0.05);
    for (int i = 0; i < 20000; ++i) writer.metric(run, {"fold/0/batch/loss", i, 0, 1.0 / (i + 1), 0});
    writer.submit([run](RunStore& s) { s.finishRun(run, RunStatus::Finished, "", nowSeconds()); });
    writer.flush();
    EXPECT_EQ(writer.pointsWritten(), 20000u);
    EXPECT_EQ(writer.error(), "");
  }
  auto store = RunStore::open(path);
  EXPECT_EQ(store.metricCount(run), 20000);
  EXPECT_EQ(store.showRun(run).info.status, RunStatus::Finished);
  EXPECT_THROW(BatchedWriter(dir.write("junk.db", "not sqlite at all, just text")), StoreError);
}

TEST(BatchedWriter, AFailingWriteIsReportedAndLosesNothingElse) {
  testing::TempDir dir;
  const auto path = dir.file("e.db");
  std::int64_t run;
  { run = RunStore::open(path).createRun(info("w"), {}); }
  {
    BatchedWriter writer(path, 0.05);
    for (int i = 0; i < 100; ++i) writer.metric(run, {"a", i, 0, 1.0, 0});
    writer.submit([](RunStore&) { throw StoreError("injected failure"); });
    for (int i = 0; i < 50; ++i) writer.metric(run, {"b", i, 0, 2.0, 0});
    writer.submit([run](RunStore& s) { s.addTags(run, {"after-the-failure"}); });
    writer.flush();
    EXPECT_EQ(writer.error(), "injected failure");
    EXPECT_EQ(writer.failedWrites(), 1u);
    EXPECT_EQ(writer.pointsWritten(), 150u);
  }
  const auto store = RunStore::open(path);
  EXPECT_EQ(store.metricCount(run), 150);
  EXPECT_EQ(store.showRun(run).tags, std::vector<std::string>{"after-the-failure"});
}

TEST(BatchedWriter, FlushWritesNowRatherThanAtTheNextInterval) {
  testing::TempDir dir;
  const auto path = dir.file("e.db");
  std::int64_t run;
  { run = RunStore::open(path).createRun(info("w"), {}); }
  BatchedWriter writer(path, 30.0);  // a long interval: only a wake-up makes flush quick
  writer.flush();  // the first pass after start
  writer.metric(run, {"a", 1, 0, 1.0, 0});
  const auto start = std::chrono::steady_clock::now();
  writer.flush();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 10.0) << "flush waited for the 30 s interval";
  EXPECT_EQ(writer.pointsWritten(), 1u);
}

TEST(Sha256, MatchesKnownDigests) {
  testing::TempDir dir;
  EXPECT_EQ(sha256File(dir.write("empty", "")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256File(dir.write("abc", "abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace foldbench::tracker

namespace foldbench::tracker {
namespace {

// Sets an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) { setenv(name, value, 1); }
  ~ScopedEnv() { unsetenv(name_); }

 private:
  const char* name_;
};

std::string journalMode(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, nullptr);
  std::string mode = sqlite3_step(s) == SQLITE_ROW ? reinterpret_cast<const char*>(sqlite3_column_text(s, 0)) : "";
  sqlite3_finalize(s);
  sqlite3_close(db);
  return mode;
}

TEST(TrackerFileSystem, NetworkFileSystemsAreKnownByTheirMagicNumbers) {
  EXPECT_EQ(networkFileSystemName(0x6969), "nfs");
  EXPECT_EQ(networkFileSystemName(static_cast<long>(0xff534d42UL)), "cifs");
  EXPECT_EQ(networkFileSystemName(0x0bd00bd0), "lustre");
  EXPECT_EQ(networkFileSystemName(0x47504653), "gpfs");
  EXPECT_EQ(networkFileSystemName(0x19830326), "beegfs");
  EXPECT_EQ(networkFileSystemName(0xef53), "");      // ext4
  EXPECT_EQ(networkFileSystemName(0x01021994), "");  // tmpfs
}

// WAL needs every connection on one host; on a network file system the tracker keeps the
// rollback journal, and a WAL database made elsewhere is switched over when opened there.
TEST(TrackerFileSystem, ATrackerOnANetworkFileSystemUsesTheRollbackJournal) {
  testing::TempDir dir;
  const auto local = dir.file("local.db"), shared = dir.file("shared.db");
  RunStore::open(local).createRun(info("a"), {});
  EXPECT_EQ(journalMode(local), "wal");
  {
    ScopedEnv network("FOLDBENCH_TRACKER_FS", "network");
    auto store = RunStore::open(shared);
    store.createRun(info("b"), {});
    EXPECT_FALSE(std::filesystem::exists(shared + "-wal"));
    EXPECT_EQ(journalMode(shared), "delete");
    RunStore::open(local).createRun(info("c"), {});  // the same file, now seen on a network mount
    EXPECT_EQ(journalMode(local), "delete");
    EXPECT_FALSE(std::filesystem::exists(local + "-wal"));
  }
  auto reopened = RunStore::open(local, RunStore::Access::ReadOnly);
  EXPECT_NO_THROW(reopened.resolve("a"));
  EXPECT_NO_THROW(reopened.resolve("c"));
  // Seen as local again (the NFS server's own view), a rollback-journal tracker stays so.
  RunStore::open(local).createRun(info("d"), {});
  EXPECT_EQ(journalMode(local), "delete");
}

// The window opens its readers first: a WAL tracker on a network file system is switched over
// before a reader holds it, so the window's own writes are not refused afterwards.
TEST(TrackerFileSystem, AReaderOpenedFirstSwitchesANetworkTrackerOverBeforeHoldingIt) {
  testing::TempDir dir;
  const auto path = dir.file("e.db");
  RunStore::open(path).createRun(info("a"), {});
  ASSERT_EQ(journalMode(path), "wal");
  ScopedEnv network("FOLDBENCH_TRACKER_FS", "network");
  auto reader = RunStore::open(path, RunStore::Access::ReadOnly);
  EXPECT_EQ(journalMode(path), "delete");
  auto writer = RunStore::open(path);  // with the reader still open
  EXPECT_NO_THROW(writer.createRun(info("b"), {}));
  EXPECT_NO_THROW(reader.resolve("b"));
}

}  // namespace
}  // namespace foldbench::tracker
