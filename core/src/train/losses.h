#pragma once
// Private: classification losses on logits.
#include <torch/torch.h>

#include <vector>

#include "foldbench/config/experiment_config.h"

namespace foldbench::train {

struct LossSpec {
  config::LossKind kind = config::LossKind::CrossEntropy;
  double labelSmoothing = 0.0;
  double focalGamma = 2.0;
  torch::Tensor classWeights;  // [C], for weighted_ce
};

// Mean loss over the batch. Label smoothing spreads `labelSmoothing` uniformly over all classes.
// weighted_ce divides by the summed weights of the batch's labels (as torch's weighted mean).
// focal scales each example's (smoothed) cross-entropy by (1 - p_true)^gamma.
torch::Tensor classificationLoss(const torch::Tensor& logits, const torch::Tensor& labels, const LossSpec& spec);

// Inverse-frequency class weights, normalised to mean 1 over present classes.
torch::Tensor inverseFrequencyWeights(const std::vector<int>& labels, int numLabels);

}  // namespace foldbench::train
