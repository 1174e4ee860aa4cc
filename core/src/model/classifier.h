#pragma once
// Private: the torch side of the models. Never included by public headers.
#include <torch/torch.h>

#include <memory>
#include <vector>

#include "foldbench/config/experiment_config.h"
#include "foldbench/model/ngram_features.h"
#include "table_origin.h"

namespace foldbench::model {

// One batch on the training device. Transformer models read the token tensors, n-gram bag
// models read the bags; labels are -1 for unlabelled rows.
struct Batch {
  torch::Tensor ids;          // [B, L] int64
  torch::Tensor segments;     // [B, L] int64
  torch::Tensor padding;      // [B, L] bool, true where padded
  torch::Tensor subjectPos;   // [B] int64
  torch::Tensor objectPos;    // [B] int64
  std::vector<torch::Tensor> bagIds;      // flat int64 per n-gram part
  std::vector<torch::Tensor> bagOffsets;  // [B] int64 per n-gram part
  torch::Tensor labels;       // [B] int64
  std::vector<int> rows;      // dataset rows in batch order
  long realTokens = 0;        // tokens that are not padding
  long paddedTokens = 0;      // B * L
};

class ClassifierModule : public torch::nn::Module {
 public:
  virtual torch::Tensor forward(const Batch& batch) = 0;  // logits [B, C]
  // Parameters whose gradients are sparse (hashed n-gram tables): optimised lazily, no decay.
  virtual std::vector<torch::Tensor> sparseParameters() { return {}; }
  // Each parameter's share of the learning rate (parallel to named_parameters()) under layer-wise
  // decay; empty: all learn at the full rate.
  virtual std::vector<double> learningRateScales(double /*layerDecay*/) { return {}; }
  // Multiply-accumulate operations of one forward pass, for throughput figures.
  virtual double forwardFlops(const Batch& batch) const = 0;

  // How each sparse table was initialised, parallel to sparseParameters(); empty when unknown
  // (a model loaded from a checkpoint that stored its tables whole).
  const std::vector<TableOrigin>& tableOrigins() const { return tableOrigins_; }
  void setTableOrigins(std::vector<TableOrigin> origins) { tableOrigins_ = std::move(origins); }

 private:
  std::vector<TableOrigin> tableOrigins_;
};

// `initialise` false skips the seeded random initialisation, for models about to be loaded
// from a checkpoint (an n-gram preset's tables are half a gigabyte of random numbers).
std::shared_ptr<ClassifierModule> makeClassifier(const config::ModelConfig& config, int vocabSize, int numLabels,
                                                 int maxLen, bool initialise = true);

// N(0, 0.02) weights, zero biases, unit LayerNorms; call after torch::manual_seed.
void initialiseWeights(torch::nn::Module& module, double std = 0.02);

}  // namespace foldbench::model
