#pragma once
// Dropout whose mask comes from a counter-based hash, generated in parallel. torch's CPU
// dropout draws one number at a time from a single generator (about a tenth of a training
// step here). The seed of each mask is drawn from torch's generator, so runs stay
// reproducible under torch::manual_seed.
#include <torch/torch.h>

namespace foldbench::model {

torch::Tensor fastDropout(const torch::Tensor& input, double p, bool training);

class FastDropoutImpl : public torch::nn::Module {
 public:
  explicit FastDropoutImpl(double p) : p_(p) {}
  torch::Tensor forward(const torch::Tensor& input) { return fastDropout(input, p_, is_training()); }

 private:
  double p_;
};
TORCH_MODULE(FastDropout);

}  // namespace foldbench::model
