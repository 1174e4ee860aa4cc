#include "foldbench/train/metrics.h"

#include <algorithm>
#include <stdexcept>

namespace foldbench::train {

double accuracy(const std::vector<int>& predicted, const std::vector<int>& gold) {
  if (predicted.size() != gold.size()) throw std::invalid_argument("prediction and label counts differ");
  if (gold.empty()) return 0.0;
  std::size_t right = 0;
  for (std::size_t i = 0; i < gold.size(); ++i) right += predicted[i] == gold[i];
  return static_cast<double>(right) / static_cast<double>(gold.size());
}

double microF1WithoutNoRelation(const std::vector<int>& predicted, const std::vector<int>& gold, int noRelation) {
  if (predicted.size() != gold.size()) throw std::invalid_argument("prediction and label counts differ");
  std::size_t truePositive = 0, predictedPositive = 0, goldPositive = 0;
  for (std::size_t i = 0; i < gold.size(); ++i) {
    if (gold[i] < 0) continue;
    const bool p = predicted[i] != noRelation, g = gold[i] != noRelation;
    predictedPositive += p;
    goldPositive += g;
    truePositive += p && g && predicted[i] == gold[i];
  }
  if (truePositive == 0) return 0.0;
  const double precision = static_cast<double>(truePositive) / static_cast<double>(predictedPositive);
  const double recall = static_cast<double>(truePositive) / static_cast<double>(goldPositive);
  return 2.0 * precision * recall / (precision + recall);
}

std::vector<int> argmaxRows(const std::vector<std::vector<float>>& probabilities) {
  std::vector<int> out;
  out.reserve(probabilities.size());
  for (const auto& row : probabilities)
    out.push_back(static_cast<int>(std::max_element(row.begin(), row.end()) - row.begin()));
  return out;
}

}  // namespace foldbench::train
