#pragma once
// Stratified k-fold splits, train/validation splits and minority oversampling.
// Every function works on row indices so the rows themselves are never copied.
#include <cstdint>
#include <string>
#include <vector>

#include "foldbench/util/enum_names.h"

namespace foldbench::data {

// What happens to labels with fewer rows than folds. Stratification cannot give every fold a
// validation row of such a label, so the choice is explicit:
enum class RareLabelPolicy {
  // Spread (default): each row of the label validates in a different fold, chosen among the
  // smallest folds. Every row still gets an out-of-fold prediction; the folds without one
  // of these rows in validation simply have it in training. Proportions stay as close to the
  // full set as integer counts allow.
  Spread,
  // TrainOnly: rows of the label are never validated; they are in the training part of every
  // fold and have no out-of-fold prediction. Use when a label is too rare to score.
  TrainOnly,
};

struct FoldOptions {
  int folds = 5;
  std::uint64_t seed = 77;
  RareLabelPolicy rareLabels = RareLabelPolicy::Spread;
};

struct FoldSplit {
  std::vector<int> train;       // sorted row indices
  std::vector<int> validation;  // sorted row indices
};

// `labels[i]` is the label id of row i (>= 0). Deterministic for a seed.
std::vector<FoldSplit> stratifiedKFold(const std::vector<int>& labels, const FoldOptions& options);

// One stratified split with about `validationRatio` of each label in validation (labels with a
// single row stay in training). Throws std::invalid_argument when the ratio is not in (0, 1).
FoldSplit stratifiedSplit(const std::vector<int>& labels, double validationRatio, std::uint64_t seed);

// Training on every row, no validation.
FoldSplit allForTraining(std::size_t rowCount);

struct OversampleOptions {
  int minCount = 0;           // raise each label to at least this many training rows
  double minFraction = 0.0;   // ... or to this fraction of the largest label, whichever is more
  bool enabled() const { return minCount > 0 || minFraction > 0.0; }
};

// Returns `train` plus duplicated rows of minority labels, drawn with a seeded shuffle from
// `train` only, so validation rows can never leak into training.
std::vector<int> oversample(const std::vector<int>& train, const std::vector<int>& labels,
                            const OversampleOptions& options, std::uint64_t seed);

}  // namespace foldbench::data

namespace foldbench {
FOLDBENCH_ENUM_NAMES(data::RareLabelPolicy, {data::RareLabelPolicy::Spread, "spread"},
                     {data::RareLabelPolicy::TrainOnly, "train_only"})
}  // namespace foldbench
