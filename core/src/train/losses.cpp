#include "losses.h"

#include <stdexcept>

namespace foldbench::train {

torch::Tensor classificationLoss(const torch::Tensor& logits, const torch::Tensor& labels, const LossSpec& spec) {
  const auto logp = torch::log_softmax(logits.to(torch::kFloat), 1);
  const auto nll = -logp.gather(1, labels.unsqueeze(1)).squeeze(1);
  auto perExample = nll;
  if (spec.labelSmoothing > 0.0)
    perExample = (1.0 - spec.labelSmoothing) * nll - spec.labelSmoothing * logp.mean(1);
  switch (spec.kind) {
    case config::LossKind::CrossEntropy: return perExample.mean();
    case config::LossKind::Focal: {
      const auto pTrue = torch::exp(-nll);
      return (torch::pow(1.0 - pTrue, spec.focalGamma) * perExample).mean();
    }
    case config::LossKind::WeightedCrossEntropy: {
      if (!spec.classWeights.defined()) throw std::invalid_argument("weighted_ce needs class weights");
      const auto w = spec.classWeights.to(logits.device()).index_select(0, labels);
      return (w * perExample).sum() / w.sum();
    }
  }
  throw std::invalid_argument("unknown loss");
}

torch::Tensor inverseFrequencyWeights(const std::vector<int>& labels, int numLabels) {
  std::vector<double> counts(static_cast<std::size_t>(numLabels), 0.0);
  for (int l : labels)
    if (l >= 0) counts[static_cast<std::size_t>(l)] += 1.0;
  std::vector<float> w(static_cast<std::size_t>(numLabels), 0.0f);
  double sum = 0.0;
  int present = 0;
  for (std::size_t c = 0; c < counts.size(); ++c)
    if (counts[c] > 0) {
      w[c] = static_cast<float>(1.0 / counts[c]);
      sum += w[c];
      ++present;
    }
  for (auto& x : w) x = present ? static_cast<float>(x * present / sum) : 1.0f;
  return torch::tensor(w);
}

}  // namespace foldbench::train
