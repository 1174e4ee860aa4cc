#pragma once
// Which swept parameters the score depends on: a random-forest regressor of score on parameter
// values (bootstrap samples, a random subset of parameters tried at each split), and each
// parameter's permutation importance on the trees' out-of-bag trials (Breiman 2001): how much a
// tree's squared error on the trials it never saw grows when that parameter's values are
// shuffled among them. Plain C++, deterministic for a seed; for the sweep view and the CLI.
#include <cstdint>
#include <string>
#include <vector>

namespace foldbench::analysis {

enum class ParameterKind {
  Numeric,      // split on the value
  LogNumeric,   // split on log10 of the value (> 0), as a log-scale range is sampled
  Categorical,  // values are category indices 0 .. categories - 1
};

struct ParameterColumn {
  std::string name;
  ParameterKind kind = ParameterKind::Numeric;
  int categories = 0;  // Categorical only: how many (at most 64)
};

struct ImportanceOptions {
  int trees = 100;                // trees in the forest
  int minLeafTrials = 3;          // a split leaves at least this many (bootstrap) trials each side
  int maxDepth = 12;              // deeper nodes become leaves
  double splitFraction = 0.5;     // share of the parameters tried at each split (at least one)
  std::uint64_t seed = 1;
};

struct ParameterImportance {
  // Per parameter, in the columns' order: non-negative, summing to 1. When nothing the forest
  // learns explains the score (constant scores, fewer than 4 trials, no split helps), every
  // parameter gets the same share.
  std::vector<double> importance;
  // The forest's R^2 on out-of-bag trials: near or below 0, the shares mean little.
  double outOfBagR2 = 0.0;
  bool explained = false;  // false when the shares are the equal fallback
};

// `trials[t][p]` is trial t's value of parameter p, `scores[t]` its score (the higher the better,
// or any other; only its variation matters). Throws on ragged rows, a category index out of
// range or a non-positive value on a log scale.
ParameterImportance parameterImportance(const std::vector<ParameterColumn>& parameters,
                                        const std::vector<std::vector<double>>& trials,
                                        const std::vector<double>& scores,
                                        const ImportanceOptions& options = ImportanceOptions());

}  // namespace foldbench::analysis
