#pragma once
// The folds a run trains, shared by the in-process runner and cluster fold tasks.
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "foldbench/config/experiment_config.h"
#include "foldbench/data/readers.h"
#include "foldbench/kfold/kfold_runner.h"

namespace foldbench::kfold {

struct FoldPlan {
  int fold;
  std::vector<int> train, validation;  // dataset row indices; train oversampled
};

// Every fold the config asks for (only kfold.fold when it is set), with oversampled training rows.
std::vector<FoldPlan> planFolds(const config::ExperimentConfig& c, const std::vector<int>& labels);

// How the training file is read (bad rows, offset repair window).
data::ReadOptions readOptionsFor(const config::ExperimentConfig& c);

// Where fold `fold` of a run keeps its best checkpoint.
inline std::string foldCheckpointPath(const std::string& runDir, int fold) {
  return runDir + "/fold-" + std::to_string(fold) + "/best.pt";
}

// The event that opens training: the run, how many folds and optimizer steps `plans` take with
// config `c`, and the device.
train::RunStartEvent runStartEvent(const PreparedRun& p, const config::ExperimentConfig& c,
                                   const std::vector<FoldPlan>& plans, const train::DeviceInfo& device);

// The cross-validation statistics and out-of-fold accuracy of r.folds and r.outOfFold.
void summarizeFolds(const PreparedRun& p, RunResult& r);

}  // namespace foldbench::kfold
