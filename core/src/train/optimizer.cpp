#include <algorithm>
#include "optimizer.h"

#include <cmath>
#include <set>

#include "compact_tables.h"

namespace foldbench::train {

LazySparseAdam::LazySparseAdam(std::vector<torch::Tensor> params, double beta1, double beta2, double eps)
    : params_(std::move(params)), beta1_(beta1), beta2_(beta2), eps_(eps) {
  for (const auto& p : params_) {
    m_.push_back(torch::zeros_like(p));
    v_.push_back(torch::zeros_like(p));
    touched_.push_back(torch::zeros({p.size(0)}, p.options().dtype(torch::kBool)));
  }
}

void LazySparseAdam::step(double lr) {
  torch::NoGradGuard noGrad;
  ++t_;
  const double c1 = 1.0 - std::pow(beta1_, static_cast<double>(t_));
  const double c2 = 1.0 - std::pow(beta2_, static_cast<double>(t_));
  for (std::size_t i = 0; i < params_.size(); ++i) {
    auto& p = params_[i];
    if (!p.grad().defined()) continue;
    const auto grad = p.grad().coalesce();
    const auto rows = grad.indices()[0];
    const auto values = grad.values();
    if (rows.numel() == 0) continue;
    auto m = m_[i].index_select(0, rows).mul_(beta1_).add_(values, 1.0 - beta1_);
    auto v = v_[i].index_select(0, rows).mul_(beta2_).addcmul_(values, values, 1.0 - beta2_);
    m_[i].index_copy_(0, rows, m);
    v_[i].index_copy_(0, rows, v);
    const auto update = (m / c1) / ((v / c2).sqrt_().add_(eps_));
    p.index_add_(0, rows, update, -lr);
    touched_[i].index_fill_(0, rows, true);
  }
}

void LazySparseAdam::zeroGrad() {
  for (auto& p : params_)
    if (p.grad().defined()) p.mutable_grad() = torch::Tensor();
}

void LazySparseAdam::save(torch::serialize::OutputArchive& archive) const {
  // The moments of rows no batch touched are zero: only the others are stored.
  for (std::size_t i = 0; i < params_.size(); ++i)
    for (const auto& [name, moment] : {std::pair{"m", &m_[i]}, std::pair{"v", &v_[i]}}) {
      torch::serialize::OutputArchive rows;
      writeChangedRows(rows, *moment);
      archive.write(std::string("rows_") + name + std::to_string(i), rows);
    }
  archive.write("t", torch::tensor(static_cast<std::int64_t>(t_)), true);
}

void LazySparseAdam::load(torch::serialize::InputArchive& archive) {
  for (std::size_t i = 0; i < params_.size(); ++i)
    for (const auto& [name, moment] : {std::pair{"m", &m_[i]}, std::pair{"v", &v_[i]}}) {
      torch::serialize::InputArchive rows;
      if (archive.try_read(std::string("rows_") + name + std::to_string(i), rows)) {
        moment->zero_();
        readChangedRows(rows, *moment);
      }
      else  // written whole, before checkpoints were compacted
        archive.read(name + std::to_string(i), *moment, true);
    }
  torch::Tensor t;
  archive.read("t", t, true);
  t_ = t.item<std::int64_t>();
}

FlatAdamW::FlatAdamW(const std::vector<torch::Tensor>& params, const std::vector<double>& weightDecay,
                     const std::vector<double>& lrScale, double beta1, double beta2, double eps)
    : params_(params), beta1_(beta1), beta2_(beta2), eps_(eps) {
  std::int64_t total = 0;
  for (const auto& p : params_) total += p.numel();
  const auto options = params_.empty() ? torch::TensorOptions(torch::kFloat) : params_[0].options();
  values_ = torch::empty({total}, options);
  grads_ = torch::zeros({total}, options);
  m_ = torch::zeros({total}, options);
  v_ = torch::zeros({total}, options);
  decay_ = torch::empty({total}, options);
  const bool scaled = std::any_of(lrScale.begin(), lrScale.end(), [](double s) { return s != 1.0; });
  if (scaled) lrScale_ = torch::empty({total}, options);
  std::int64_t offset = 0;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const double scale = scaled ? lrScale[i] : 1.0;
    decay_.narrow(0, offset, params_[i].numel()).fill_(weightDecay[i] * scale);
    if (scaled) lrScale_.narrow(0, offset, params_[i].numel()).fill_(scale);
    offset += params_[i].numel();
  }
  attach();
}

void FlatAdamW::attach() {
  torch::NoGradGuard noGrad;
  std::int64_t offset = 0;
  for (auto& p : params_) {
    const auto n = p.numel();
    auto value = values_.narrow(0, offset, n);
    value.copy_(p.detach().reshape({-1}));
    p.set_data(value.view(p.sizes()));
    p.mutable_grad() = grads_.narrow(0, offset, n).view(p.sizes());
    offset += n;
  }
}

void FlatAdamW::step(double lr) {
  torch::NoGradGuard noGrad;
  ++t_;
  const double c1 = 1.0 - std::pow(beta1_, static_cast<double>(t_));
  const double c2 = 1.0 - std::pow(beta2_, static_cast<double>(t_));
  values_.addcmul_(values_, decay_, -lr);  // decoupled weight decay: p -= lr * wd * p
  m_.mul_(beta1_).add_(grads_, 1.0 - beta1_);
  v_.mul_(beta2_).addcmul_(grads_, grads_, 1.0 - beta2_);
  const auto denom = (v_.sqrt() / std::sqrt(c2)).add_(eps_);
  if (lrScale_.defined()) values_.addcdiv_(m_ * lrScale_, denom, -lr / c1);
  else values_.addcdiv_(m_, denom, -lr / c1);
}

void FlatAdamW::save(torch::serialize::OutputArchive& archive) const {
  archive.write("m", m_, true);
  archive.write("v", v_, true);
  archive.write("t", torch::tensor(static_cast<std::int64_t>(t_)), true);
}

void FlatAdamW::load(torch::serialize::InputArchive& archive) {
  torch::Tensor m, v, t;
  archive.read("m", m, true);
  archive.read("v", v, true);
  archive.read("t", t, true);
  if (m.numel() != m_.numel()) throw std::runtime_error("optimizer state does not match the model's parameters");
  m_.copy_(m);
  v_.copy_(v);
  t_ = t.item<std::int64_t>();
}

TrainingOptimizer::TrainingOptimizer(torch::nn::Module& model, const std::vector<torch::Tensor>& sparse,
                                     double weightDecay, const std::vector<double>& lrScales) {
  std::set<const void*> sparseSet;
  for (const auto& t : sparse) sparseSet.insert(t.unsafeGetTensorImpl());
  std::vector<torch::Tensor> dense;
  std::vector<double> decay, scales;
  if (!lrScales.empty() && lrScales.size() != model.named_parameters().size())
    throw std::logic_error("learning-rate scales for " + std::to_string(lrScales.size()) + " parameters, the model has " +
                           std::to_string(model.named_parameters().size()));
  std::size_t index = 0;
  for (const auto& item : model.named_parameters()) {
    const auto& p = item.value();
    const double scale = index < lrScales.size() ? lrScales[index] : 1.0;
    ++index;
    if (sparseSet.count(p.unsafeGetTensorImpl())) continue;
    dense.push_back(p);
    // Matrices decay; biases, LayerNorm scales and other vectors do not.
    decay.push_back(p.dim() >= 2 ? weightDecay : 0.0);
    scales.push_back(scale);
  }
  dense_ = std::make_unique<FlatAdamW>(dense, decay, scales);
  if (!sparse.empty()) sparse_ = std::make_unique<LazySparseAdam>(sparse);
}

void TrainingOptimizer::setLearningRate(double lr) { lr_ = lr; }

bool TrainingOptimizer::unscaleGradients(double scale) {
  dense_->scaleGrads(1.0 / scale);
  return std::isfinite(dense_->gradNorm());
}

double TrainingOptimizer::clipGradients(double maxNorm) {
  if (maxNorm <= 0.0) return 0.0;
  // Same rule as torch::nn::utils::clip_grad_norm_, over the flat gradient in one pass.
  const double norm = dense_->gradNorm();
  const double coefficient = maxNorm / (norm + 1e-6);
  if (coefficient < 1.0) dense_->scaleGrads(coefficient);
  return norm;
}

void TrainingOptimizer::step() {
  dense_->step(lr_);
  if (sparse_) sparse_->step(lr_);
}

void TrainingOptimizer::zeroGrad() {
  dense_->zeroGrad();
  if (sparse_) sparse_->zeroGrad();
}

void TrainingOptimizer::save(torch::serialize::OutputArchive& archive) const {
  torch::serialize::OutputArchive dense;
  dense_->save(dense);
  archive.write("adamw", dense);
  if (sparse_) {
    torch::serialize::OutputArchive lazy;
    sparse_->save(lazy);
    archive.write("sparse", lazy);
  }
}

void TrainingOptimizer::load(torch::serialize::InputArchive& archive) {
  torch::serialize::InputArchive dense;
  archive.read("adamw", dense);
  dense_->load(dense);
  if (sparse_) {
    torch::serialize::InputArchive lazy;
    archive.read("sparse", lazy);
    sparse_->load(lazy);
  }
}

}  // namespace foldbench::train
