#include "rounded_weights.h"

namespace foldbench::train {

RoundedWeights::RoundedWeights(torch::nn::Module& model, torch::Dtype dtype) {
  torch::NoGradGuard noGrad;
  for (auto& p : model.parameters()) {
    if (!p.is_floating_point() || p.scalar_type() == dtype) continue;
    saved_.push_back(p.detach().clone());
    p.copy_(p.to(dtype));
    parameters_.push_back(p);
  }
}

RoundedWeights::~RoundedWeights() {
  torch::NoGradGuard noGrad;
  for (std::size_t i = 0; i < parameters_.size(); ++i) parameters_[i].copy_(saved_[i]);
}

}  // namespace foldbench::train
