#pragma once
// One training run recorded in the tracker, the same for every front end (foldbench-cli train,
// the workbench window, cluster jobs): open the tracker first, prepare, record the run while
// training, write the run files, then finish the record.
#include <atomic>
#include <string>

#include "foldbench/config/experiment_config.h"
#include "foldbench/kfold/kfold_runner.h"
#include "foldbench/recording/run_recorder.h"
#include "foldbench/tracker/run_store.h"
#include "foldbench/train/observer.h"

namespace foldbench::recording {

struct TrackedRunOptions {
  bool track = true;                       // false: no tracker record (--no-track)
  // Also the anchor of a relative run.output_dir (platform/workspace.h), even without tracking.
  std::string databasePath = tracker::kDefaultDatabase;
  RunDescription description;  // an empty name: the config's run.name
  std::string appVersion;
  const kfold::FoldRace* race = nullptr;  // a sweep trial's fold order and racing rule
};

struct TrackedRun {
  kfold::RunResult result;
  std::string runDir;
  std::string trackerWarning;     // a tracker write that failed while training went on
};

// Throws when the tracker cannot be opened or the data cannot be prepared (nothing is recorded
// then), and kfold::RunCancelled when `cancel` is raised before training begins. Training
// failures do not throw: they end in result.status "failed", recorded as such.
TrackedRun trainTracked(const config::ExperimentConfig& config, train::TrainingObserver& observer,
                        const std::atomic<bool>& cancel, const TrackedRunOptions& options);

}  // namespace foldbench::recording
