#pragma once
// Where the next trial goes: random, quasi-random (a scrambled Halton sequence), or the
// tree-structured Parzen estimator (Bergstra et al. 2011) after `startupTrials` quasi-random ones.
// Deterministic for the sweep's seed, the trial number and the history, so a resumed sweep
// proposes what an uninterrupted one would have.
#include <vector>

#include "foldbench/sweep/sweep_spec.h"
#include "foldbench/tracker/sweep_store.h"

namespace foldbench::sweep {

// `history`: the sweep's trials so far (finished and pruned ones inform TPE; a pruned trial
// counts among the worse ones). `number`: the new trial's number, 1-based.
ParamValues proposeTrial(const SweepSpec& spec, const std::vector<tracker::TrialRecord>& history, int number);

// The order trial `number` trains its `folds` folds in: a permutation of 0..folds-1 drawn from
// the sweep's seed and the trial number.
std::vector<int> foldOrderFor(const SweepSpec& spec, int folds, int number);

}  // namespace foldbench::sweep
