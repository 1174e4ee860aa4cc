#include "foldbench/recording/cluster_run.h"

#include <cstdlib>
#include <filesystem>

#include "foldbench/tracker/batched_writer.h"
#include "foldbench/tracker/field_names.h"

namespace foldbench::recording {

// This module writes the tracker's records; its names are used unqualified here.
using namespace tracker;
namespace fs = std::filesystem;

std::string clusterHost() {
  for (const char* name : {"SLURM_ARRAY_JOB_ID", "SLURM_JOB_ID"})
    if (const char* id = std::getenv(name); id && *id) return std::string(kClusterHostPrefix) + id;
  return std::string(kClusterHostPrefix) + "?";
}

std::string foldDatabasePath(const std::string& runDir, int fold) {
  return runDir + "/fold-" + std::to_string(fold) + ".db";
}

std::int64_t recordQueuedRun(const std::string& database, const kfold::PreparedRun& prepared,
                             const RunDescription& description, const std::string& appVersion) {
  RunInfo info = describeRun(prepared, description, appVersion);
  info.status = RunStatus::Queued;
  info.host = clusterHost();
  info.pid = 0;
  auto store = RunStore::open(database);
  const auto run = store.createRun(info, flattenConfig(info.configJson));
  if (!description.tags.empty()) store.addTags(run, description.tags);
  if (!description.note.empty()) store.addNote(run, description.note, info.createdAt);
  return run;
}

namespace {

// The fold's record in its own database: the one a previous attempt made, else a new one.
std::int64_t foldRecord(const std::string& path, const kfold::PreparedRun& prepared, const std::string& appVersion) {
  auto store = RunStore::open(path);
  std::int64_t run = 0;
  try {
    run = store.resolve(prepared.runId);
  } catch (const StoreError& e) {
    if (e.kind() != StoreError::Kind::NotFound) throw;
    RunInfo info = describeRun(prepared, {}, appVersion);
    info.host = clusterHost();  // the merge names the run's job after it
    info.pid = 0;
    return store.createRun(info, flattenConfig(info.configJson));
  }
  // A rerun after a failed or stopped attempt: the fold runs again under the same record.
  try {
    store.markQueued(run);
    store.markRunning(run, hostName(), nowSeconds());
  } catch (const StoreError& e) {
    if (e.kind() != StoreError::Kind::Refused) throw;  // finished: the task will not train it again
  }
  return run;
}

// Replaces fold `fold`'s series, fields and fold record in the main run `run` with those its
// task recorded in `foldDatabase`.
void copyFoldRecords(const std::string& foldDatabase, const std::string& uid, int fold, RunStore& main, std::int64_t run) {
  const auto source = RunStore::open(foldDatabase, RunStore::Access::ReadOnly);
  const auto sourceRun = source.resolve(uid);
  const std::string prefix = names::fold(fold, "");
  main.deleteSeries(run, prefix);
  for (const auto& name : source.seriesNames(sourceRun)) {
    if (name.rfind(prefix, 0) != 0) continue;
    const auto series = source.series(sourceRun, name);
    std::vector<MetricPoint> points;
    points.reserve(series.size());
    for (std::size_t i = 0; i < series.size(); ++i)
      points.push_back({name, series.steps[i], series.epochs[i], series.values[i], series.times[i]});
    main.writeMetrics(run, points);
  }
  const auto detail = source.showRun(sourceRun);
  std::vector<Field> fields;
  for (const auto& f : detail.fields)
    if (f.key.rfind(prefix, 0) == 0) fields.push_back(f);
  main.setFields(run, fields);
  for (const auto& f : detail.folds) main.upsertFold(run, f);
}

}  // namespace

train::FoldResult runFoldTask(const kfold::PreparedRun& prepared, int fold, train::TrainingObserver& observer,
                              const std::atomic<bool>& cancel, const std::string& appVersion) {
  const std::string foldDatabase = foldDatabasePath(prepared.runDir, fold);
  const auto foldRun = foldRecord(foldDatabase, prepared, appVersion);
  train::FoldResult result;
  {
    BatchedWriter writer(foldDatabase);
    RunRecorder recorder(writer, prepared, foldRun);
    train::ObserverList observers;
    observers.add(&observer);
    observers.add(&recorder);
    result = kfold::trainFoldTask(prepared, fold, observers, cancel);
    const RunStatus status = result.status == train::FoldStatus::Failed    ? RunStatus::Failed
                             : result.status == train::FoldStatus::Stopped ? RunStatus::Stopped
                                                                           : RunStatus::Finished;
    writer.untrackHeartbeat(foldRun);
    const std::string error = result.error;
    writer.submit([foldRun, status, error](RunStore& store) { store.finishRun(foldRun, status, error, nowSeconds()); });
    writer.flush();
  }
  return result;
}

kfold::RunResult mergeClusterRun(const kfold::PreparedRun& prepared, const std::string& mainDatabase) {
  auto result = kfold::mergeFoldResults(prepared);
  kfold::writeRunFiles(prepared, result);
  std::int64_t run = 0;
  {
    auto main = RunStore::open(mainDatabase);
    run = main.resolve(prepared.runId);
    for (int fold = 0; fold < kfold::foldCount(prepared.config); ++fold) {
      const std::string path = foldDatabasePath(prepared.runDir, fold);
      if (!fs::exists(path)) continue;
      copyFoldRecords(path, prepared.runId, fold, main, run);
      // The tasks' job ("slurm job <id>") becomes the run's host; only a queued run takes it.
      const auto task = RunStore::open(path, RunStore::Access::ReadOnly);
      main.markRunning(run, task.showRun(task.resolve(prepared.runId)).info.host, nowSeconds());
    }
  }
  BatchedWriter writer(mainDatabase);
  RunRecorder recorder(writer, prepared, run);
  recorder.finish(result);
  return result;
}

}  // namespace foldbench::recording
