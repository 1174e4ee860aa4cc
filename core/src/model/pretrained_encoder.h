#pragma once
// A BERT-family encoder (bert, roberta, xlm-roberta, electra) in LibTorch, laid out so that its
// parameter names are Hugging Face's canonical names ("embeddings.word_embeddings.weight",
// "encoder.layer.0.attention.self.query.weight", ...): loading is a walk over named_parameters().
#include <torch/torch.h>

#include <vector>

#include "foldbench/pretrained/model_folder.h"

namespace foldbench::pretrained {

// A Linear followed by a residual LayerNorm: attention.output and output in every layer.
struct DenseNormImpl : torch::nn::Module {
  DenseNormImpl(std::int64_t in, std::int64_t out, double eps);
  torch::nn::Linear dense{nullptr};
  torch::nn::LayerNorm LayerNorm{nullptr};  // NOLINT: named as the checkpoints name it
};
TORCH_MODULE(DenseNorm);

struct DenseImpl : torch::nn::Module {  // intermediate, pooler
  DenseImpl(std::int64_t in, std::int64_t out);
  torch::nn::Linear dense{nullptr};
};
TORCH_MODULE(Dense);

struct SelfAttentionProjectionsImpl : torch::nn::Module {
  explicit SelfAttentionProjectionsImpl(std::int64_t hidden);
  torch::nn::Linear query{nullptr}, key{nullptr}, value{nullptr};
};
TORCH_MODULE(SelfAttentionProjections);

struct AttentionImpl : torch::nn::Module {
  AttentionImpl(std::int64_t hidden, double eps);
  SelfAttentionProjections self{nullptr};
  DenseNorm output{nullptr};
};
TORCH_MODULE(Attention);

struct EncoderLayerImpl : torch::nn::Module {
  explicit EncoderLayerImpl(const EncoderConfig& config);
  Attention attention{nullptr};
  Dense intermediate{nullptr};
  DenseNorm output{nullptr};
};
TORCH_MODULE(EncoderLayer);

struct EmbeddingsImpl : torch::nn::Module {
  explicit EmbeddingsImpl(const EncoderConfig& config);
  torch::nn::Embedding word_embeddings{nullptr}, position_embeddings{nullptr}, token_type_embeddings{nullptr};
  torch::nn::LayerNorm LayerNorm{nullptr};  // NOLINT
};
TORCH_MODULE(Embeddings);

struct LayerStackImpl : torch::nn::Module {
  explicit LayerStackImpl(const EncoderConfig& config);
  torch::nn::ModuleList layer{nullptr};
};
TORCH_MODULE(LayerStack);

struct EncoderOutput {
  std::vector<torch::Tensor> hiddenStates;  // the embedding output, then each layer's; or only the last
  torch::Tensor pooled;                     // tanh(pooler(h[:, 0])), undefined without a pooler
};

class PretrainedEncoderImpl : public torch::nn::Module {
 public:
  PretrainedEncoderImpl(const EncoderConfig& config, bool withPooler);
  // ids, typeIds, attentionMask: [batch, length] int64; attentionMask is 1 for tokens, 0 for pads.
  // typeIds are ignored (all 0) when the model has one token type, as RoBERTa and XLM-R do.
  EncoderOutput forward(const torch::Tensor& ids, const torch::Tensor& typeIds, const torch::Tensor& attentionMask,
                        bool allLayers = false);
  // Copies every parameter from the folder's weights (shapes were checked when it was opened).
  void load(const ModelFolder& folder);
  const EncoderConfig& config() const { return config_; }
  // Position ids as the model type numbers them (RoBERTa: padding_idx + 1 + index among non-pads).
  torch::Tensor positionIds(const torch::Tensor& ids) const;

 private:
  torch::Tensor layerForward(EncoderLayerImpl& layer, const torch::Tensor& x, const torch::Tensor& additiveMask);

  EncoderConfig config_;
  Embeddings embeddings{nullptr};
  torch::nn::Linear embeddings_project{nullptr};
  LayerStack encoder{nullptr};
  Dense pooler{nullptr};
  torch::nn::Dropout dropout_{nullptr};
};
TORCH_MODULE(PretrainedEncoder);

// openModelFolder, then an encoder with the folder's weights, in eval mode.
PretrainedEncoder loadPretrainedEncoder(const ModelFolder& folder);

}  // namespace foldbench::pretrained
