#pragma once
// A BERT-family encoder (bert, roberta, xlm-roberta, electra) in LibTorch, laid out so that its
// parameter names are Hugging Face's canonical names ("embeddings.word_embeddings.weight",
// "encoder.layer.0.attention.self.query.weight", ...): loading is a walk over named_parameters().
#include <torch/torch.h>

#include <vector>

#include "foldbench/pretrained/model_folder.h"

namespace foldbench::pretrained {

// Parameters only, allocated without initialising them: the folder's weights or a checkpoint fill
// them (drawing 110 M random numbers first, as torch::nn::Linear does, cost a second of loading).
struct WeightsImpl : torch::nn::Module {
  WeightsImpl(std::vector<std::int64_t> weightShape, bool withBias);
  torch::Tensor weight, bias;
};
TORCH_MODULE(Weights);

// A Linear followed by a residual LayerNorm: attention.output and output in every layer.
struct DenseNormImpl : torch::nn::Module {
  DenseNormImpl(std::int64_t in, std::int64_t out);
  Weights dense{nullptr};
  Weights LayerNorm{nullptr};  // NOLINT: named as the checkpoints name it
};
TORCH_MODULE(DenseNorm);

struct DenseImpl : torch::nn::Module {  // intermediate, pooler
  DenseImpl(std::int64_t in, std::int64_t out);
  Weights dense{nullptr};
};
TORCH_MODULE(Dense);

struct SelfAttentionProjectionsImpl : torch::nn::Module {
  explicit SelfAttentionProjectionsImpl(std::int64_t hidden);
  Weights query{nullptr}, key{nullptr}, value{nullptr};
};
TORCH_MODULE(SelfAttentionProjections);

struct AttentionImpl : torch::nn::Module {
  explicit AttentionImpl(std::int64_t hidden);
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
  Weights word_embeddings{nullptr}, position_embeddings{nullptr}, token_type_embeddings{nullptr};
  Weights LayerNorm{nullptr};  // NOLINT
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
  // Copies every parameter from the folder's weights (shapes were checked when it was opened),
  // several tensors at once.
  void load(const ModelFolder& folder);
  // Adds word-embedding rows up to `size` tokens (new entity markers): each starts at the mean
  // of the existing rows plus N(0, 0.02) noise from torch's generator, so markers differ.
  void growVocabulary(std::int64_t size);
  // 0 for the embeddings, i + 1 for encoder layer i, layers + 1 for the pooler: where a named
  // parameter sits, for layer-wise learning-rate decay.
  int depthOf(const std::string& parameterName) const;
  const EncoderConfig& config() const { return config_; }
  // Position ids as the model type numbers them (RoBERTa: padding_idx + 1 + index among non-pads).
  torch::Tensor positionIds(const torch::Tensor& ids) const;

 private:
  torch::Tensor layerForward(EncoderLayerImpl& layer, const torch::Tensor& x, const torch::Tensor& additiveMask);
  torch::Tensor normalise(const WeightsImpl& norm, const torch::Tensor& x) const;

  EncoderConfig config_;
  Embeddings embeddings{nullptr};
  Weights embeddings_project{nullptr};
  LayerStack encoder{nullptr};
  Dense pooler{nullptr};
  torch::nn::Dropout dropout_{nullptr}, attentionDropout_{nullptr};
};
TORCH_MODULE(PretrainedEncoder);

// openModelFolder, then an encoder with the folder's weights, in eval mode.
PretrainedEncoder loadPretrainedEncoder(const ModelFolder& folder);

}  // namespace foldbench::pretrained
