#pragma once
// The tracker side of a run whose folds are cluster tasks (kfold/fold_tasks.h). The main
// tracker holds the run from submission (queued), is touched once when a task starts (running)
// and once when one fails; each task records its fold's live metrics in its own database,
// <run>/fold-K.db, so that many tasks never contend for one SQLite file on a shared file
// system. The merge step copies those records into the main run and finishes it.
#include <atomic>
#include <cstdint>
#include <string>

#include "foldbench/kfold/fold_tasks.h"
#include "foldbench/recording/run_recorder.h"

namespace foldbench::recording {

// "slurm job <id>" from SLURM_ARRAY_JOB_ID or SLURM_JOB_ID ("slurm job ?" outside Slurm).
std::string clusterHost();

std::string foldDatabasePath(const std::string& runDir, int fold);

// Records a prepared run in the main tracker with status queued; returns its tracker id.
std::int64_t recordQueuedRun(const std::string& database, const kfold::PreparedRun& prepared,
                             const RunDescription& description, const std::string& appVersion);

// Marks the run failed in the main tracker with "fold K: <error>", which the merge keeps as the
// run's error: for a task that fails training, or cannot even reopen the run.
void recordFoldFailure(const std::string& mainDatabase, const std::string& runId, int fold, const std::string& error);

// One array task: marks the run running, trains the fold while recording it in the fold's own
// database, and marks the run failed with the fold's error when it fails.
train::FoldResult runFoldTask(const kfold::PreparedRun& prepared, int fold, train::TrainingObserver& observer,
                              const std::atomic<bool>& cancel, const std::string& mainDatabase,
                              const std::string& appVersion);

// The last job: the run's summary.json and oof.tsv from the fold results, every fold
// database's series, fold records and fold fields copied into the main run (replacing what an
// earlier merge copied), then the cross-validation fields, artifacts and final status.
kfold::RunResult mergeClusterRun(const kfold::PreparedRun& prepared, const std::string& mainDatabase);

}  // namespace foldbench::recording
