#pragma once
#include "classifier.h"

namespace foldbench::model {

// Bags of hashed n-grams per part (subject, object, between, sentence), one sparse
// EmbeddingBag each, concatenated, then a small MLP.
class NgramBagClassifier : public ClassifierModule {
 public:
  // `drawTables` false leaves the tables uninitialised, for a model about to be loaded.
  NgramBagClassifier(const config::ModelConfig& config, int numLabels, bool drawTables = true);
  torch::Tensor forward(const Batch& batch) override;
  std::vector<torch::Tensor> sparseParameters() override;
  double forwardFlops(const Batch& batch) const override;

 private:
  config::ModelConfig config_;
  int numLabels_;
  std::vector<torch::nn::EmbeddingBag> bags_;
  torch::nn::Dropout dropout_{nullptr};
  torch::nn::Linear hidden_{nullptr}, out_{nullptr};
};

}  // namespace foldbench::model
