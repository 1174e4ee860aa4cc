#pragma once
#include <vector>

namespace foldbench::train {

struct EvalMetrics {
  double loss = 0.0;
  double accuracy = 0.0;
  double microF1 = 0.0;  // over relation labels only: the no-relation class is left out (KLUE)
};

double accuracy(const std::vector<int>& predicted, const std::vector<int>& gold);
// Micro-F1 where predictions and gold labels equal to `noRelation` count as negatives.
// With noRelation < 0 every class counts (then it equals accuracy). Unlabelled rows (gold < 0)
// are left out.
double microF1WithoutNoRelation(const std::vector<int>& predicted, const std::vector<int>& gold, int noRelation);

// Index of the largest probability in each row.
std::vector<int> argmaxRows(const std::vector<std::vector<float>>& probabilities);

}  // namespace foldbench::train
