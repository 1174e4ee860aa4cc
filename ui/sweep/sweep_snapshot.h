#pragma once
// What the sweep view shows of one sweep, read from the tracker in one go on the reader's
// thread: the sweep, its search space, its trials, and the run ids of the trials' runs.
#include <QString>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "foldbench/sweep/sweep_spec.h"
#include "foldbench/tracker/sweep_store.h"

namespace foldbench::ui {

struct SweepSnapshot {
  std::vector<std::string> sweepNames;  // every sweep of the tracker, oldest first
  bool hasSweep = false;                // false: no sweep yet (or the followed one is gone)
  tracker::SweepRecord sweep;
  sweep::SweepSpec spec;
  std::string specError;                // the stored spec could not be read
  int folds = 0;                        // k of the base config
  std::vector<tracker::TrialRecord> trials;  // by trial number
  std::map<std::string, std::int64_t> runIds;  // trial run uid -> run id of the runs table
};

// The finished trial with the best mean over all folds (ties: the earlier); nullptr when none.
const tracker::TrialRecord* bestTrial(const SweepSnapshot& snapshot);

// "running 3/5 folds", "finished", ... as the table and tooltips say it.
QString trialStatusText(tracker::TrialStatus status);

}  // namespace foldbench::ui
