#pragma once
// Private: rows -> tensors on the training device.
#include "classifier.h"
#include "foldbench/train/training_data.h"

namespace foldbench::train {

class BatchBuilder {
 public:
  BatchBuilder(const TrainingData& data, bool ngram, bool fixedPadding, torch::Device device);
  model::Batch build(const std::vector<int>& rows) const;

 private:
  void fillTokens(model::Batch& batch, const std::vector<int>& rows) const;
  void fillBags(model::Batch& batch, const std::vector<int>& rows) const;

  const TrainingData& data_;
  bool ngram_;
  bool fixedPadding_;
  torch::Device device_;
};

}  // namespace foldbench::train
