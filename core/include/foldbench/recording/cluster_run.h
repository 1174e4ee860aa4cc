#pragma once
// The tracker side of a run whose folds are cluster tasks (kfold/fold_tasks.h). The main
// tracker is written only on the submitting host (queued) and by the merge job, one at a time;
// each task records its fold's live metrics in its own database, <run>/fold-K.db, so that no
// two hosts ever write one SQLite file. The window and `cluster status` read a cluster run's
// progress from its folder. The merge step copies those records into the main run and
// finishes it.
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

// One array task: trains the fold while recording it in the fold's own database. It writes
// only inside the run folder (fold-K.db, fold-K/), never the main tracker: tasks run on other
// hosts, and SQLite cannot share one file between hosts safely. A failure is written to
// fold-K/result.json, where the merge reads it.
train::FoldResult runFoldTask(const kfold::PreparedRun& prepared, int fold, train::TrainingObserver& observer,
                              const std::atomic<bool>& cancel, const std::string& appVersion);

// The last job: the run's summary.json and oof.tsv from the fold results, every fold
// database's series, fold records and fold fields copied into the main run (replacing what an
// earlier merge copied), then the cross-validation fields, artifacts and final status.
kfold::RunResult mergeClusterRun(const kfold::PreparedRun& prepared, const std::string& mainDatabase);

}  // namespace foldbench::recording
