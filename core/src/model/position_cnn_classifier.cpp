#include "position_cnn_classifier.h"

#include "foldbench/text/special_tokens.h"

namespace foldbench::model {

PositionCnnClassifier::PositionCnnClassifier(const config::ModelConfig& c, int vocabSize, int numLabels, int maxLen)
    : config_(c), numLabels_(numLabels), maxDistance_(maxLen) {
  const std::int64_t distances = 2 * maxDistance_ + 1;
  tokens_ = register_module("tokens", torch::nn::Embedding(torch::nn::EmbeddingOptions(vocabSize, c.cnnEmbedding)
                                                               .padding_idx(text::kPad)));
  subjectDistance_ = register_module("subject_distance", torch::nn::Embedding(distances, c.positionDim));
  objectDistance_ = register_module("object_distance", torch::nn::Embedding(distances, c.positionDim));
  const int in = c.cnnEmbedding + 2 * c.positionDim;
  narrow_ = register_module("narrow", torch::nn::Conv1d(torch::nn::Conv1dOptions(in, c.cnnFilters, c.cnnKernel)
                                                            .padding(c.cnnKernel / 2)));
  wide_ = register_module("wide", torch::nn::Conv1d(torch::nn::Conv1dOptions(in, c.cnnFilters, c.cnnKernel + 2)
                                                        .padding(c.cnnKernel / 2 + 1)));
  dropout_ = register_module("dropout", FastDropout(c.dropout));
  headDropout_ = register_module("head_dropout", FastDropout(c.headDropout));
  out_ = register_module("out", torch::nn::Linear(6 * c.cnnFilters, numLabels));
}

torch::Tensor PositionCnnClassifier::forward(const Batch& b) {
  const auto length = b.ids.size(1);
  const auto at = torch::arange(length, b.ids.options()).unsqueeze(0);  // [1, L]
  const auto subject = b.subjectPos.unsqueeze(1), object = b.objectPos.unsqueeze(1);  // [B, 1]
  const auto toSubject = (at - subject).clamp(-maxDistance_, maxDistance_) + maxDistance_;
  const auto toObject = (at - object).clamp(-maxDistance_, maxDistance_) + maxDistance_;
  auto x = torch::cat({tokens_->forward(b.ids), subjectDistance_->forward(toSubject), objectDistance_->forward(toObject)}, 2);
  // Padded positions are zero, as the convolution's own border padding is: otherwise the
  // last real tokens would see the distance embeddings of however much padding their batch has.
  x = dropout_->forward(x).masked_fill(b.padding.unsqueeze(2), 0.0).transpose(1, 2);  // [B, D, L]
  // ReLU features are >= 0, so a stretch without tokens pools to 0 when masked with 0.
  const auto features = torch::relu(torch::cat({narrow_->forward(x), wide_->forward(x)}, 1));  // [B, 2F, L]
  const auto first = torch::min(subject, object), second = torch::max(subject, object);
  const auto real = b.padding.logical_not();
  std::vector<torch::Tensor> pooled;
  for (const auto& stretch : {at <= first, (at > first).logical_and(at <= second), at > second}) {
    const auto keep = stretch.logical_and(real).unsqueeze(1);  // [B, 1, L]
    pooled.push_back(features.masked_fill(keep.logical_not(), 0.0).amax(2));
  }
  return out_->forward(headDropout_->forward(torch::cat(pooled, 1)));
}

double PositionCnnClassifier::forwardFlops(const Batch& b) const {
  const double tokens = static_cast<double>(b.paddedTokens);
  const double in = config_.cnnEmbedding + 2.0 * config_.positionDim;
  const double conv = in * config_.cnnFilters * (2.0 * config_.cnnKernel + 2.0);
  return 2.0 * (tokens * conv + static_cast<double>(b.labels.size(0)) * 6.0 * config_.cnnFilters * numLabels_);
}

}  // namespace foldbench::model
