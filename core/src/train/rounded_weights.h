#pragma once
// Private: for as long as a RoundedWeights lives, every floating-point parameter of a model holds
// its value rounded to fp16 or bf16, and gets its fp32 value back when it goes. Validation and
// saving run inside it, so a checkpoint stored halved holds the very weights that were scored,
// while training goes on at full precision (as HalfRoundedTables does for n-gram tables).
#include <torch/torch.h>

#include <string>
#include <vector>

namespace foldbench::train {

class RoundedWeights {
 public:
  RoundedWeights(torch::nn::Module& model, torch::Dtype dtype);
  ~RoundedWeights();
  RoundedWeights(const RoundedWeights&) = delete;
  RoundedWeights& operator=(const RoundedWeights&) = delete;

 private:
  std::vector<torch::Tensor> parameters_, saved_;
};

}  // namespace foldbench::train
