#pragma once
// Racing over folds: after each fold a trial is compared with the incumbent on the folds both
// have trained (same rows, so the comparison is paired), and dropped once it is significantly
// worse. The idea of F-Race and irace (Birattari et al.), with SMAC's folds-as-instances.
#include <optional>
#include <string>
#include <vector>

#include "foldbench/sweep/sweep_spec.h"
#include "foldbench/tracker/sweep_store.h"

namespace foldbench::sweep {

struct RaceVerdict {
  bool prune = false;
  int folds = 0;                // paired folds compared
  double meanDifference = 0.0;  // trial - incumbent, on those folds
  double pValue = 1.0;          // one-sided: the trial is worse
  std::string reason;           // when pruned: "worse than trial 3 on 2 folds (-0.231, p = 0.012, t-test)"
};

// `totalFolds`: k, for the t-test's correction. Never prunes before rule.minFolds paired
// folds, nor a trial whose mean is not below the incumbent's on them.
RaceVerdict judge(const RacingRule& rule, const std::vector<tracker::FoldScore>& trial,
                  const tracker::TrialRecord& incumbent, int totalFolds);

// The finished trial with the best mean over all `totalFolds` folds (ties: the earlier trial);
// empty when none has finished.
std::optional<tracker::TrialRecord> incumbentOf(const std::vector<tracker::TrialRecord>& trials, int totalFolds);

}  // namespace foldbench::sweep
