#include "optimizer.h"

#include <set>

namespace foldbench::train {

LazySparseAdam::LazySparseAdam(std::vector<torch::Tensor> params, double beta1, double beta2, double eps)
    : params_(std::move(params)), beta1_(beta1), beta2_(beta2), eps_(eps) {
  for (const auto& p : params_) {
    m_.push_back(torch::zeros_like(p));
    v_.push_back(torch::zeros_like(p));
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
  }
}

void LazySparseAdam::zeroGrad() {
  for (auto& p : params_)
    if (p.grad().defined()) p.mutable_grad() = torch::Tensor();
}

void LazySparseAdam::save(torch::serialize::OutputArchive& archive) const {
  for (std::size_t i = 0; i < params_.size(); ++i) {
    archive.write("m" + std::to_string(i), m_[i], true);
    archive.write("v" + std::to_string(i), v_[i], true);
  }
  archive.write("t", torch::tensor(static_cast<std::int64_t>(t_)), true);
}

void LazySparseAdam::load(torch::serialize::InputArchive& archive) {
  for (std::size_t i = 0; i < params_.size(); ++i) {
    archive.read("m" + std::to_string(i), m_[i], true);
    archive.read("v" + std::to_string(i), v_[i], true);
  }
  torch::Tensor t;
  archive.read("t", t, true);
  t_ = t.item<std::int64_t>();
}

TrainingOptimizer::TrainingOptimizer(torch::nn::Module& model, const std::vector<torch::Tensor>& sparse,
                                     double weightDecay) {
  std::set<const void*> sparseSet;
  for (const auto& t : sparse) sparseSet.insert(t.unsafeGetTensorImpl());
  std::vector<torch::Tensor> decay, noDecay;
  for (const auto& item : model.named_parameters()) {
    const auto& p = item.value();
    if (sparseSet.count(p.unsafeGetTensorImpl())) continue;
    // Matrices decay; biases, LayerNorm scales and other vectors do not.
    (p.dim() >= 2 ? decay : noDecay).push_back(p);
    dense_.push_back(p);
  }
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(
                                 torch::optim::AdamWOptions(1e-3).weight_decay(weightDecay)));
  groups.emplace_back(noDecay, std::make_unique<torch::optim::AdamWOptions>(
                                   torch::optim::AdamWOptions(1e-3).weight_decay(0.0)));
  adamw_ = std::make_unique<torch::optim::AdamW>(groups, torch::optim::AdamWOptions(1e-3));
  if (!sparse.empty()) sparse_ = std::make_unique<LazySparseAdam>(sparse);
}

void TrainingOptimizer::setLearningRate(double lr) {
  lr_ = lr;
  for (auto& group : adamw_->param_groups()) static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
}

double TrainingOptimizer::clipGradients(double maxNorm) {
  if (maxNorm <= 0.0) return 0.0;
  return torch::nn::utils::clip_grad_norm_(dense_, maxNorm);
}

void TrainingOptimizer::step() {
  adamw_->step();
  if (sparse_) sparse_->step(lr_);
}

void TrainingOptimizer::zeroGrad() {
  adamw_->zero_grad();
  if (sparse_) sparse_->zeroGrad();
}

void TrainingOptimizer::save(torch::serialize::OutputArchive& archive) const {
  torch::serialize::OutputArchive dense;
  adamw_->save(dense);
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
  adamw_->load(dense);
  if (sparse_) {
    torch::serialize::InputArchive lazy;
    archive.read("sparse", lazy);
    sparse_->load(lazy);
  }
}

}  // namespace foldbench::train
