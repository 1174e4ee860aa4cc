#include "pretrained_classifier.h"

namespace foldbench::model {
namespace {

// The folder is opened once: its config and its weights' names give the architecture; its weights
// are loaded only for training (a checkpoint fills them otherwise).
pretrained::ModelFolder openFolder(const config::ModelConfig& c, bool forCheckpoint) {
  if (c.pretrainedPath.empty())
    throw std::runtime_error("model.pretrained_path is not set: choose a Hugging Face model folder");
  if (!forCheckpoint) return pretrained::openModelFolder(c.pretrainedPath);
  try {
    return pretrained::openModelFolder(c.pretrainedPath);
  } catch (const std::exception& e) {
    throw std::runtime_error("a pretrained run's checkpoints need model.pretrained_path (" + c.pretrainedPath +
                             ") as it was when the run trained: " + e.what());
  }
}

}  // namespace

PretrainedClassifier::PretrainedClassifier(const config::ModelConfig& c, int vocabSize, int numLabels,
                                           bool loadWeights)
    : config_(c) {
  const auto folder = openFolder(c, /*forCheckpoint=*/!loadWeights);
  encoderConfig_ = folder.config;
  encoder_ = pretrained::PretrainedEncoder(folder.config, folder.names.hasPooler);
  if (loadWeights) encoder_->load(folder);
  encoder_->growVocabulary(vocabSize);
  register_module("encoder", encoder_);
  padId_ = encoderConfig_.padTokenId.value_or(0);
  const auto hidden = encoderConfig_.hiddenSize;
  headDropout_ = register_module("head_dropout", torch::nn::Dropout(c.headDropout));
  head_ = register_module("head", torch::nn::Linear(c.pooling == config::Pooling::Entity ? 2 * hidden : hidden, numLabels));
  // The head starts as Hugging Face's classifiers do: N(0, 0.02) weights, zero bias.
  torch::NoGradGuard noGrad;
  head_->weight.normal_(0.0, 0.02);
  head_->bias.zero_();
}

torch::Tensor PretrainedClassifier::forward(const Batch& b) {
  // Batches are padded with Foldbench's pad id (0); the model's own pad id keeps RoBERTa's
  // positions right (they count non-pad tokens).
  const auto ids = b.ids.masked_fill(b.padding, padId_);
  const auto mask = (~b.padding).to(torch::kLong);
  const auto output = encoder_->forward(ids, b.segments, mask);
  return head_->forward(headDropout_->forward(pool(output.hiddenStates.back(), output.pooled, b)));
}

torch::Tensor PretrainedClassifier::pool(const torch::Tensor& states, const torch::Tensor& pooled, const Batch& b) {
  if (config_.pooling == config::Pooling::Cls) return pooled.defined() ? pooled : states.select(1, 0);
  if (config_.pooling == config::Pooling::Mean) {
    const auto keep = (~b.padding).unsqueeze(-1).to(states.scalar_type());
    return (states * keep).sum(1) / keep.sum(1).clamp_min(1.0);
  }
  const auto rows = torch::arange(states.size(0), b.subjectPos.options());
  return torch::cat({states.index({rows, b.subjectPos}), states.index({rows, b.objectPos})}, 1);
}

double PretrainedClassifier::forwardFlops(const Batch& b) const {
  const double tokens = static_cast<double>(b.paddedTokens);
  const double length = static_cast<double>(b.ids.size(1));
  const double h = static_cast<double>(encoderConfig_.hiddenSize), f = static_cast<double>(encoderConfig_.intermediateSize);
  const double perLayer = 2.0 * tokens * (4 * h * h + 2 * h * f) + 2.0 * 2.0 * tokens * length * h;
  return static_cast<double>(encoderConfig_.numHiddenLayers) * perLayer;
}

std::vector<double> PretrainedClassifier::learningRateScales(double layerDecay) {
  // The head (and the pooler) learn at the full rate, each layer below at layerDecay times the one
  // above it, the embeddings lowest.
  const int top = static_cast<int>(encoderConfig_.numHiddenLayers) + 1;
  std::vector<double> scales;
  for (const auto& item : named_parameters()) {
    const std::string& name = item.key();
    const std::string inEncoder = "encoder.";
    const int depth = name.rfind(inEncoder, 0) == 0 ? encoder_->depthOf(name.substr(inEncoder.size())) : top;
    scales.push_back(std::pow(layerDecay, top - std::min(depth, top)));
  }
  return scales;
}

}  // namespace foldbench::model
