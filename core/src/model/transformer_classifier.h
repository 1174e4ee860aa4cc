#pragma once
#include "classifier.h"
#include "fast_dropout.h"

namespace foldbench::model {

// Multi-head self-attention with a key-padding mask.
class SelfAttentionImpl : public torch::nn::Module {
 public:
  SelfAttentionImpl(int hidden, int heads, double attentionDropout);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& additiveMask);

 private:
  int heads_, headDim_;
  torch::nn::Linear qkv_{nullptr}, out_{nullptr};
  FastDropout dropout_{nullptr};
};
TORCH_MODULE(SelfAttention);

// Pre-LayerNorm block: x + Attn(LN(x)), then x + FFN(LN(x)).
class EncoderBlockImpl : public torch::nn::Module {
 public:
  EncoderBlockImpl(int hidden, int heads, int feedForward, double dropout, double attentionDropout);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& additiveMask);

 private:
  torch::nn::LayerNorm norm1_{nullptr}, norm2_{nullptr};
  SelfAttention attention_{nullptr};
  torch::nn::Linear up_{nullptr}, down_{nullptr};
  FastDropout dropout_{nullptr};
};
TORCH_MODULE(EncoderBlock);

class TransformerClassifier : public ClassifierModule {
 public:
  TransformerClassifier(const config::ModelConfig& config, int vocabSize, int numLabels, int maxLen);
  torch::Tensor forward(const Batch& batch) override;
  double forwardFlops(const Batch& batch) const override;

 private:
  torch::Tensor pool(const torch::Tensor& states, const Batch& batch);

  config::ModelConfig config_;
  int numLabels_;
  torch::nn::Embedding tokens_{nullptr}, positions_{nullptr}, segments_{nullptr};
  torch::nn::LayerNorm embeddingNorm_{nullptr}, finalNorm_{nullptr};
  FastDropout dropout_{nullptr}, headDropout_{nullptr};
  torch::nn::ModuleList blocks_{nullptr};
  torch::nn::Linear headHidden_{nullptr}, headOut_{nullptr};
};

}  // namespace foldbench::model
