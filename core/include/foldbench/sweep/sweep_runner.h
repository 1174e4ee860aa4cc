#pragma once
// Creating a sweep and running its trials. A worker claims trials from the tracker one at a
// time and trains each as a tracked run (recording/tracked_run.h) whose folds race against the
// incumbent; several workers (processes, or Slurm tasks) may work on one sweep at once. Stopping
// a worker puts its trial back to pending; running again resumes the sweep.
#include <atomic>
#include <string>

#include "foldbench/recording/tracked_run.h"
#include "foldbench/sweep/sweep_spec.h"
#include "foldbench/tracker/sweep_store.h"
#include "foldbench/train/observer.h"

namespace foldbench::sweep {

// Checks `spec` against `base` (throws config::ConfigError listing checkSpec's problems) and
// stores the sweep. Throws tracker::StoreError when the name is taken.
std::int64_t createSweep(const std::string& databasePath, const std::string& name, const SweepSpec& spec,
                         const config::ExperimentConfig& base);

// Training events of every trial, plus the trials' own.
class SweepObserver : public train::TrainingObserver {
 public:
  virtual void onTrialStart(const tracker::TrialRecord& /*trial*/) {}
  // After each of its folds, and at its end (status finished, pruned, failed, or pending when stopped).
  virtual void onTrialUpdate(const tracker::TrialRecord& /*trial*/) {}
};

struct WorkerOptions {
  std::string databasePath = tracker::kDefaultDatabase;
  std::string appVersion;
  int threads = 0;  // train.threads of every trial; 0: the base config's
};

struct WorkerSummary {
  int trials = 0;           // trials this worker ran
  int finished = 0, pruned = 0, failed = 0;
  int foldTrainings = 0;    // folds trained, pruned trials' included
  bool stopped = false;     // cancelled; the trial in hand went back to pending
  bool budgetReached = false;
};

// Runs trials of sweep `name` until the budget is spent or `cancel` is raised. Throws
// std::invalid_argument for an unknown sweep, tracker::StoreError for an unusable tracker.
WorkerSummary runSweepWorker(const std::string& name, SweepObserver& observer, const std::atomic<bool>& cancel,
                             const WorkerOptions& options);

}  // namespace foldbench::sweep
