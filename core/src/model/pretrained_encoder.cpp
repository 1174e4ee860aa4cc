#include "pretrained_encoder.h"

#include <cmath>
#include <limits>

namespace foldbench::pretrained {
namespace {

torch::nn::LayerNorm layerNorm(std::int64_t width, double eps) {
  return torch::nn::LayerNorm(torch::nn::LayerNormOptions({width}).eps(eps));
}

bool robertaPositions(ModelType type) { return type == ModelType::Roberta || type == ModelType::XlmRoberta; }

}  // namespace

DenseNormImpl::DenseNormImpl(std::int64_t in, std::int64_t out, double eps)
    : dense(register_module("dense", torch::nn::Linear(in, out))),
      LayerNorm(register_module("LayerNorm", layerNorm(out, eps))) {}

DenseImpl::DenseImpl(std::int64_t in, std::int64_t out) : dense(register_module("dense", torch::nn::Linear(in, out))) {}

SelfAttentionProjectionsImpl::SelfAttentionProjectionsImpl(std::int64_t hidden)
    : query(register_module("query", torch::nn::Linear(hidden, hidden))),
      key(register_module("key", torch::nn::Linear(hidden, hidden))),
      value(register_module("value", torch::nn::Linear(hidden, hidden))) {}

AttentionImpl::AttentionImpl(std::int64_t hidden, double eps)
    : self(register_module("self", SelfAttentionProjections(hidden))),
      output(register_module("output", DenseNorm(hidden, hidden, eps))) {}

EncoderLayerImpl::EncoderLayerImpl(const EncoderConfig& c)
    : attention(register_module("attention", Attention(c.hiddenSize, c.layerNormEps))),
      intermediate(register_module("intermediate", Dense(c.hiddenSize, c.intermediateSize))),
      output(register_module("output", DenseNorm(c.intermediateSize, c.hiddenSize, c.layerNormEps))) {}

EmbeddingsImpl::EmbeddingsImpl(const EncoderConfig& c)
    : word_embeddings(register_module("word_embeddings", torch::nn::Embedding(c.vocabSize, c.embeddingSize))),
      position_embeddings(
          register_module("position_embeddings", torch::nn::Embedding(c.maxPositionEmbeddings, c.embeddingSize))),
      token_type_embeddings(
          register_module("token_type_embeddings", torch::nn::Embedding(c.typeVocabSize, c.embeddingSize))),
      LayerNorm(register_module("LayerNorm", layerNorm(c.embeddingSize, c.layerNormEps))) {}

LayerStackImpl::LayerStackImpl(const EncoderConfig& c) : layer(register_module("layer", torch::nn::ModuleList())) {
  for (std::int64_t i = 0; i < c.numHiddenLayers; ++i) layer->push_back(EncoderLayer(c));
}

PretrainedEncoderImpl::PretrainedEncoderImpl(const EncoderConfig& config, bool withPooler)
    : config_(config),
      embeddings(register_module("embeddings", Embeddings(config))),
      encoder(register_module("encoder", LayerStack(config))),
      dropout_(register_module("dropout", torch::nn::Dropout(0.1))) {
  if (config.embeddingSize != config.hiddenSize)
    embeddings_project =
        register_module("embeddings_project", torch::nn::Linear(config.embeddingSize, config.hiddenSize));
  if (withPooler) pooler = register_module("pooler", Dense(config.hiddenSize, config.hiddenSize));
}

torch::Tensor PretrainedEncoderImpl::positionIds(const torch::Tensor& ids) const {
  if (robertaPositions(config_.modelType)) {
    const std::int64_t pad = config_.padTokenId.value_or(1);
    const auto notPad = ids.ne(pad).to(torch::kLong);
    return torch::cumsum(notPad, 1) * notPad + pad;
  }
  return torch::arange(ids.size(1), ids.options()).unsqueeze(0).expand_as(ids);
}

torch::Tensor PretrainedEncoderImpl::layerForward(EncoderLayerImpl& layer, const torch::Tensor& x,
                                                  const torch::Tensor& additiveMask) {
  const auto batch = x.size(0), length = x.size(1);
  const auto heads = config_.numAttentionHeads, headSize = config_.hiddenSize / heads;
  auto split = [&](const torch::Tensor& t) { return t.view({batch, length, heads, headSize}).transpose(1, 2); };
  auto& projections = *layer.attention->self;
  const auto q = split(projections.query(x));
  const auto k = split(projections.key(x));
  const auto v = split(projections.value(x));
  auto scores = torch::matmul(q, k.transpose(-1, -2)) / std::sqrt(static_cast<double>(headSize)) + additiveMask;
  auto probabilities = dropout_(torch::softmax(scores, -1));
  const auto context = torch::matmul(probabilities, v).transpose(1, 2).reshape({batch, length, config_.hiddenSize});
  auto& attentionOut = *layer.attention->output;
  const auto attended = attentionOut.LayerNorm(dropout_(attentionOut.dense(context)) + x);
  auto inner = layer.intermediate->dense(attended);
  inner = config_.hiddenAct == Activation::Gelu ? torch::gelu(inner) : torch::gelu(inner, "tanh");
  auto& out = *layer.output;
  return out.LayerNorm(dropout_(out.dense(inner)) + attended);
}

EncoderOutput PretrainedEncoderImpl::forward(const torch::Tensor& ids, const torch::Tensor& typeIds,
                                             const torch::Tensor& attentionMask, bool allLayers) {
  const auto types = config_.typeVocabSize > 1 ? typeIds : torch::zeros_like(ids);
  auto x = embeddings->word_embeddings(ids) + embeddings->position_embeddings(positionIds(ids)) +
           embeddings->token_type_embeddings(types);
  x = dropout_(embeddings->LayerNorm(x));
  if (embeddings_project) x = embeddings_project(x);
  EncoderOutput output;
  if (allLayers) output.hiddenStates.push_back(x);
  // Padded keys get the most negative float, as Hugging Face's extended attention mask does.
  const auto additiveMask = (1 - attentionMask.to(x.scalar_type())).view({ids.size(0), 1, 1, ids.size(1)}) *
                            std::numeric_limits<float>::lowest();
  for (const auto& module : *encoder->layer) {
    x = layerForward(*module->as<EncoderLayerImpl>(), x, additiveMask);
    if (allLayers) output.hiddenStates.push_back(x);
  }
  if (!allLayers) output.hiddenStates.push_back(x);
  if (pooler) output.pooled = torch::tanh(pooler->dense(x.select(1, 0)));
  return output;
}

void PretrainedEncoderImpl::load(const ModelFolder& folder) {
  torch::NoGradGuard noGrad;
  for (auto& item : named_parameters()) {
    auto& parameter = item.value();
    const auto& name = item.key();
    auto contiguous = parameter.contiguous();
    folder.copyTensor(name, contiguous.data_ptr<float>(), static_cast<std::size_t>(contiguous.numel()));
    if (!contiguous.is_same(parameter)) parameter.copy_(contiguous);
  }
}

PretrainedEncoder loadPretrainedEncoder(const ModelFolder& folder) {
  PretrainedEncoder encoder(folder.config, folder.names.hasPooler);
  encoder->load(folder);
  encoder->eval();
  return encoder;
}

}  // namespace foldbench::pretrained
