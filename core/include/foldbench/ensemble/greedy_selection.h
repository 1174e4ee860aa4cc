#pragma once
// Greedy forward ensemble selection with replacement (Caruana, Niculescu-Mizil, Crew and
// Ksikes, "Ensemble selection from libraries of models", ICML 2004): starting from an empty
// ensemble (or the best N members once each, the paper's sorted initialisation), add the member
// whose addition makes the soft vote score best on the fitting rows, the same member again if
// that is best; keep the best prefix of the additions. The weights are the selection counts.
// The weighted vote's RunWeights::Greedy; evaluateOutOfFold runs it inside its cross-fitting.
#include <cstddef>
#include <vector>

#include "foldbench/ensemble/voting.h"

namespace foldbench::ensemble {

struct GreedyOptions {
  int rounds = 50;      // additions after the initial members, at most
  int patience = 10;    // stop after this many additions without improvement; 0: run every round
  int initialBest = 0;  // sorted initialisation: start with the best N members (by their own score), once each
};

struct GreedySelection {
  std::vector<int> counts;          // per member: how often it is in the best prefix
  std::vector<std::size_t> order;   // the best prefix, in the order the members were added
  std::vector<double> trace;        // the score after each addition made (initial members included)
  double score = 0.0;               // the best prefix's score on the fitting rows
};

// Selects on `members` ([member][row][class]) against `gold` (rows with gold < 0 ignored),
// maximising `metric`. Ties go to the lowest member index; the best prefix is the shortest one
// with the best score. Incremental: a running sum of the selected members' probabilities; per
// row only the classes that one addition could still make win are compared, and rows whose
// lead no addition can overturn are decided once per round, not per candidate.
GreedySelection greedySelect(const std::vector<Probabilities>& members, const std::vector<int>& gold,
                             FitMetric metric = FitMetric::Accuracy, int noRelation = -1,
                             const GreedyOptions& options = GreedyOptions());

// The counts as weights summing to 1 (what a weighted soft vote takes).
std::vector<double> selectionWeights(const std::vector<int>& counts);

}  // namespace foldbench::ensemble
