#pragma once
#include "classifier.h"
#include "fast_dropout.h"

namespace foldbench::model {

// The classic from-scratch relation classifier: a convolution over token embeddings joined
// with embeddings of each token's distance to the subject and to the object (Zeng et al.,
// 2014), max-pooled piecewise over the three stretches the two entities cut the sentence
// into (Zeng et al., 2015, PCNN), then a linear layer. Two kernel widths, k and k + 2.
// Reads the same tokenised inputs as the transformer (entity positions: the start markers).
class PositionCnnClassifier : public ClassifierModule {
 public:
  PositionCnnClassifier(const config::ModelConfig& config, int vocabSize, int numLabels, int maxLen);
  torch::Tensor forward(const Batch& batch) override;
  double forwardFlops(const Batch& batch) const override;

 private:
  config::ModelConfig config_;
  int numLabels_;
  std::int64_t maxDistance_;
  torch::nn::Embedding tokens_{nullptr}, subjectDistance_{nullptr}, objectDistance_{nullptr};
  torch::nn::Conv1d narrow_{nullptr}, wide_{nullptr};
  FastDropout dropout_{nullptr}, headDropout_{nullptr};
  torch::nn::Linear out_{nullptr};
};

}  // namespace foldbench::model
