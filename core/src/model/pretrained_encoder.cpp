#include "pretrained_encoder.h"

#include <ATen/Parallel.h>
#include <sys/mman.h>

#include <cstdint>

#include <cmath>
#include <limits>

namespace foldbench::pretrained {
namespace {

bool robertaPositions(ModelType type) { return type == ModelType::Roberta || type == ModelType::XlmRoberta; }

torch::Tensor linear(const WeightsImpl& w, const torch::Tensor& x) { return torch::linear(x, w.weight, w.bias); }

// Transparent huge pages for a parameter not yet touched: filling 700 MB in 4 KiB pages took
// 178,000 page faults, most of a 3 s load in a virtual machine (numpy asks for huge pages too).
void adviseHugePages(const torch::Tensor& t) {
  constexpr std::uintptr_t page = 4096;
  auto begin = reinterpret_cast<std::uintptr_t>(t.data_ptr());
  auto end = begin + t.nbytes();
  begin = (begin + page - 1) & ~(page - 1);
  end &= ~(page - 1);
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

}  // namespace

WeightsImpl::WeightsImpl(std::vector<std::int64_t> weightShape, bool withBias) {
  const auto rows = weightShape.front();
  weight = register_parameter("weight", torch::empty(weightShape));
  if (withBias) bias = register_parameter("bias", torch::empty({rows}));
}

DenseNormImpl::DenseNormImpl(std::int64_t in, std::int64_t out)
    : dense(register_module("dense", Weights(std::vector<std::int64_t>{out, in}, true))),
      LayerNorm(register_module("LayerNorm", Weights(std::vector<std::int64_t>{out}, true))) {}

DenseImpl::DenseImpl(std::int64_t in, std::int64_t out)
    : dense(register_module("dense", Weights(std::vector<std::int64_t>{out, in}, true))) {}

SelfAttentionProjectionsImpl::SelfAttentionProjectionsImpl(std::int64_t hidden)
    : query(register_module("query", Weights(std::vector<std::int64_t>{hidden, hidden}, true))),
      key(register_module("key", Weights(std::vector<std::int64_t>{hidden, hidden}, true))),
      value(register_module("value", Weights(std::vector<std::int64_t>{hidden, hidden}, true))) {}

AttentionImpl::AttentionImpl(std::int64_t hidden)
    : self(register_module("self", SelfAttentionProjections(hidden))),
      output(register_module("output", DenseNorm(hidden, hidden))) {}

EncoderLayerImpl::EncoderLayerImpl(const EncoderConfig& c)
    : attention(register_module("attention", Attention(c.hiddenSize))),
      intermediate(register_module("intermediate", Dense(c.hiddenSize, c.intermediateSize))),
      output(register_module("output", DenseNorm(c.intermediateSize, c.hiddenSize))) {}

EmbeddingsImpl::EmbeddingsImpl(const EncoderConfig& c)
    : word_embeddings(register_module("word_embeddings", Weights(std::vector<std::int64_t>{c.vocabSize, c.embeddingSize}, false))),
      position_embeddings(register_module(
          "position_embeddings", Weights(std::vector<std::int64_t>{c.maxPositionEmbeddings, c.embeddingSize}, false))),
      token_type_embeddings(register_module(
          "token_type_embeddings", Weights(std::vector<std::int64_t>{c.typeVocabSize, c.embeddingSize}, false))),
      LayerNorm(register_module("LayerNorm", Weights(std::vector<std::int64_t>{c.embeddingSize}, true))) {}

LayerStackImpl::LayerStackImpl(const EncoderConfig& c) : layer(register_module("layer", torch::nn::ModuleList())) {
  for (std::int64_t i = 0; i < c.numHiddenLayers; ++i) layer->push_back(EncoderLayer(c));
}

PretrainedEncoderImpl::PretrainedEncoderImpl(const EncoderConfig& config, bool withPooler)
    : config_(config),
      embeddings(register_module("embeddings", Embeddings(config))),
      encoder(register_module("encoder", LayerStack(config))),
      dropout_(register_module("dropout", torch::nn::Dropout(config.hiddenDropout))),
      attentionDropout_(register_module("attention_dropout", torch::nn::Dropout(config.attentionDropout))) {
  if (config.embeddingSize != config.hiddenSize)
    embeddings_project = register_module(
        "embeddings_project", Weights(std::vector<std::int64_t>{config.hiddenSize, config.embeddingSize}, true));
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

torch::Tensor PretrainedEncoderImpl::normalise(const WeightsImpl& norm, const torch::Tensor& x) const {
  return torch::layer_norm(x, {x.size(-1)}, norm.weight, norm.bias, config_.layerNormEps);
}

torch::Tensor PretrainedEncoderImpl::layerForward(EncoderLayerImpl& layer, const torch::Tensor& x,
                                                  const torch::Tensor& additiveMask) {
  const auto batch = x.size(0), length = x.size(1);
  const auto heads = config_.numAttentionHeads, headSize = config_.hiddenSize / heads;
  auto split = [&](const torch::Tensor& t) { return t.view({batch, length, heads, headSize}).transpose(1, 2); };
  const auto& projections = *layer.attention->self;
  const auto q = split(linear(*projections.query, x));
  const auto k = split(linear(*projections.key, x));
  const auto v = split(linear(*projections.value, x));
  auto scores = torch::matmul(q, k.transpose(-1, -2)) / std::sqrt(static_cast<double>(headSize)) + additiveMask;
  auto probabilities = attentionDropout_(torch::softmax(scores, -1));
  const auto context = torch::matmul(probabilities, v).transpose(1, 2).reshape({batch, length, config_.hiddenSize});
  const auto& attentionOut = *layer.attention->output;
  const auto attended = normalise(*attentionOut.LayerNorm, dropout_(linear(*attentionOut.dense, context)) + x);
  auto inner = linear(*layer.intermediate->dense, attended);
  inner = config_.hiddenAct == Activation::Gelu ? torch::gelu(inner) : torch::gelu(inner, "tanh");
  const auto& out = *layer.output;
  return normalise(*out.LayerNorm, dropout_(linear(*out.dense, inner)) + attended);
}

EncoderOutput PretrainedEncoderImpl::forward(const torch::Tensor& ids, const torch::Tensor& typeIds,
                                             const torch::Tensor& attentionMask, bool allLayers) {
  const auto types = config_.typeVocabSize > 1 ? typeIds : torch::zeros_like(ids);
  auto x = torch::embedding(embeddings->word_embeddings->weight, ids) +
           torch::embedding(embeddings->position_embeddings->weight, positionIds(ids)) +
           torch::embedding(embeddings->token_type_embeddings->weight, types);
  x = dropout_(normalise(*embeddings->LayerNorm, x));
  if (embeddings_project) x = linear(*embeddings_project, x);
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
  if (pooler) output.pooled = torch::tanh(linear(*pooler->dense, x.select(1, 0)));
  return output;
}

void PretrainedEncoderImpl::load(const ModelFolder& folder) {
  torch::NoGradGuard noGrad;
  for (const auto& file : folder.weights.files()) file.willRead();
  std::vector<std::pair<std::string, torch::Tensor>> parameters;
  for (auto& item : named_parameters()) {
    parameters.emplace_back(item.key(), item.value());
    adviseHugePages(item.value());
  }
  // Converting and copying is memory-bound page-faulting of the mapped file: a tensor per task.
  at::parallel_for(0, static_cast<std::int64_t>(parameters.size()), 1, [&](std::int64_t begin, std::int64_t end) {
    for (auto i = begin; i < end; ++i) {
      auto& [name, parameter] = parameters[static_cast<std::size_t>(i)];
      folder.copyTensor(name, parameter.data_ptr<float>(), static_cast<std::size_t>(parameter.numel()));
    }
  });
}

void PretrainedEncoderImpl::growVocabulary(std::int64_t size) {
  const auto old = embeddings->word_embeddings->weight;
  if (size <= old.size(0)) return;
  torch::NoGradGuard noGrad;
  Weights grown(std::vector<std::int64_t>{size, old.size(1)}, false);
  grown->to(old.device());
  const auto added = size - old.size(0);
  grown->weight.narrow(0, 0, old.size(0)).copy_(old);
  grown->weight.narrow(0, old.size(0), added)
      .copy_(old.mean(0, true).expand({added, old.size(1)}) + torch::randn({added, old.size(1)}, old.options()) * 0.02);
  embeddings->word_embeddings = embeddings->replace_module("word_embeddings", grown);
  config_.vocabSize = size;
}

int PretrainedEncoderImpl::depthOf(const std::string& name) const {
  const std::string layerPrefix = "encoder.layer.";
  if (name.rfind(layerPrefix, 0) == 0) return 1 + std::stoi(name.substr(layerPrefix.size()));
  if (name.rfind("pooler.", 0) == 0) return static_cast<int>(config_.numHiddenLayers) + 1;
  return 0;  // embeddings, embeddings_project
}

PretrainedEncoder loadPretrainedEncoder(const ModelFolder& folder) {
  PretrainedEncoder encoder(folder.config, folder.names.hasPooler);
  encoder->load(folder);
  encoder->eval();
  return encoder;
}

}  // namespace foldbench::pretrained
