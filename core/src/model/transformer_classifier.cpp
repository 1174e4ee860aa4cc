#include "transformer_classifier.h"

#include <cmath>
#include <stdexcept>

namespace foldbench::model {

namespace F = torch::nn::functional;

SelfAttentionImpl::SelfAttentionImpl(int hidden, int heads, double attentionDropout)
    : heads_(heads), headDim_(hidden / heads) {
  qkv_ = register_module("qkv", torch::nn::Linear(hidden, 3 * hidden));
  out_ = register_module("out", torch::nn::Linear(hidden, hidden));
  dropout_ = register_module("dropout", FastDropout(attentionDropout));
}

torch::Tensor SelfAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& additiveMask) {
  const auto batch = x.size(0), length = x.size(1);
  // [B, L, 3, heads, d] -> [3, B, heads, L, d]
  const auto qkv = qkv_->forward(x).view({batch, length, 3, heads_, headDim_}).permute({2, 0, 3, 1, 4});
  const auto q = qkv[0].reshape({batch * heads_, length, headDim_});
  const auto k = qkv[1].reshape({batch * heads_, length, headDim_});
  const auto v = qkv[2].reshape({batch * heads_, length, headDim_});
  // scale * q k^T + mask in one batched GEMM; the mask ([B, 1, 1, L], -inf on padded keys)
  // is broadcast over heads and queries.
  const auto mask = additiveMask.expand({batch, heads_, length, length}).reshape({batch * heads_, length, length});
  const auto scores = torch::baddbmm(mask, q, k.transpose(1, 2), 1.0, 1.0 / std::sqrt(static_cast<double>(headDim_)));
  const auto weights = dropout_->forward(torch::softmax(scores, -1));
  const auto context =
      torch::bmm(weights, v).view({batch, heads_, length, headDim_}).transpose(1, 2).reshape({batch, length, heads_ * headDim_});
  return out_->forward(context);
}

EncoderBlockImpl::EncoderBlockImpl(int hidden, int heads, int feedForward, double dropout, double attentionDropout) {
  norm1_ = register_module("norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({hidden})));
  attention_ = register_module("attention", SelfAttention(hidden, heads, attentionDropout));
  norm2_ = register_module("norm2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({hidden})));
  up_ = register_module("up", torch::nn::Linear(hidden, feedForward));
  down_ = register_module("down", torch::nn::Linear(feedForward, hidden));
  dropout_ = register_module("dropout", FastDropout(dropout));
}

torch::Tensor EncoderBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& additiveMask) {
  auto h = x + dropout_->forward(attention_->forward(norm1_->forward(x), additiveMask));
  return h + dropout_->forward(down_->forward(F::gelu(up_->forward(norm2_->forward(h)))));
}

TransformerClassifier::TransformerClassifier(const config::ModelConfig& c, int vocabSize, int numLabels, int maxLen)
    : config_(c), numLabels_(numLabels) {
  if (c.hidden % c.heads != 0) throw std::invalid_argument("model.hidden must be divisible by model.heads");
  tokens_ = register_module("tokens", torch::nn::Embedding(vocabSize, c.hidden));
  positions_ = register_module("positions", torch::nn::Embedding(maxLen, c.hidden));
  segments_ = register_module("segments", torch::nn::Embedding(2, c.hidden));
  embeddingNorm_ = register_module("embedding_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hidden})));
  dropout_ = register_module("dropout", FastDropout(c.dropout));
  blocks_ = register_module("blocks", torch::nn::ModuleList());
  for (int i = 0; i < c.layers; ++i)
    blocks_->push_back(EncoderBlock(c.hidden, c.heads, c.feedForward, c.dropout, c.attentionDropout));
  finalNorm_ = register_module("final_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.hidden})));
  const int pooled = c.pooling == config::Pooling::Entity ? 3 * c.hidden : c.hidden;
  headDropout_ = register_module("head_dropout", FastDropout(c.headDropout));
  headHidden_ = register_module("head_hidden", torch::nn::Linear(pooled, c.hidden));
  headOut_ = register_module("head_out", torch::nn::Linear(c.hidden, numLabels));
}

torch::Tensor TransformerClassifier::forward(const Batch& b) {
  const auto length = b.ids.size(1);
  const auto positions = torch::arange(length, b.ids.options());
  auto x = tokens_->forward(b.ids) + positions_->forward(positions).unsqueeze(0) + segments_->forward(b.segments);
  x = dropout_->forward(embeddingNorm_->forward(x));
  const auto additiveMask = torch::zeros(b.padding.sizes(), x.options())
                                .masked_fill_(b.padding, -std::numeric_limits<float>::infinity())
                                .view({b.ids.size(0), 1, 1, length});
  for (const auto& block : *blocks_) x = block->as<EncoderBlock>()->forward(x, additiveMask);
  x = finalNorm_->forward(x);
  auto h = headDropout_->forward(pool(x, b));
  h = headDropout_->forward(F::gelu(headHidden_->forward(h)));
  return headOut_->forward(h);
}

torch::Tensor TransformerClassifier::pool(const torch::Tensor& states, const Batch& b) {
  const auto cls = states.select(1, 0);
  if (config_.pooling == config::Pooling::Cls) return cls;
  if (config_.pooling == config::Pooling::Mean) {
    const auto keep = (~b.padding).unsqueeze(-1).to(states.scalar_type());
    return (states * keep).sum(1) / keep.sum(1).clamp_min(1.0);
  }
  const auto rows = torch::arange(states.size(0), b.subjectPos.options());
  return torch::cat({cls, states.index({rows, b.subjectPos}), states.index({rows, b.objectPos})}, 1);
}

double TransformerClassifier::forwardFlops(const Batch& b) const {
  // Matrix multiplies only (2 FLOPs per multiply-accumulate), over the padded batch as computed.
  const double tokens = static_cast<double>(b.paddedTokens);
  const double length = static_cast<double>(b.ids.size(1));
  const double h = config_.hidden, f = config_.feedForward;
  const double perLayer = 2.0 * tokens * (3 * h * h + h * h + 2 * h * f) + 2.0 * 2.0 * tokens * length * h;
  const double pooled = config_.pooling == config::Pooling::Entity ? 3 * h : h;
  const double head = 2.0 * static_cast<double>(b.ids.size(0)) * (pooled * h + h * numLabels_);
  return config_.layers * perLayer + head;
}

void initialiseWeights(torch::nn::Module& module, double std) {
  torch::NoGradGuard noGrad;
  for (auto& m : module.modules(/*include_self=*/true)) {
    if (auto* linear = m->as<torch::nn::Linear>()) {
      linear->weight.normal_(0.0, std);
      if (linear->bias.defined()) linear->bias.zero_();
    } else if (auto* embedding = m->as<torch::nn::Embedding>()) {
      embedding->weight.normal_(0.0, std);
    } else if (auto* norm = m->as<torch::nn::LayerNorm>()) {
      norm->weight.fill_(1.0);
      norm->bias.zero_();
    }
  }
}

}  // namespace foldbench::model
