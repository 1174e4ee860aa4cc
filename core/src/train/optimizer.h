#pragma once
// Private: AdamW with decoupled weight decay on matrices only (not biases, LayerNorms or
// n-gram tables), plus a lazy Adam for sparse n-gram tables that touches only the rows in the
// batch (docs/PLATFORM-FACTS.md: dense updates made an epoch over 60x slower).
#include <torch/torch.h>

#include <memory>
#include <vector>

namespace foldbench::train {

class LazySparseAdam {
 public:
  explicit LazySparseAdam(std::vector<torch::Tensor> params, double beta1 = 0.9, double beta2 = 0.999,
                          double eps = 1e-8);
  void step(double lr);
  void zeroGrad();
  void save(torch::serialize::OutputArchive& archive) const;
  void load(torch::serialize::InputArchive& archive);
  // Per table, the rows any step has changed (bool [rows]): every other row still holds its
  // initial value, which lets a checkpoint store the changed rows without comparing.
  const std::vector<torch::Tensor>& touchedRows() const { return touched_; }
  void markTouched(std::size_t table, const torch::Tensor& rows) {
    touched_[table].index_fill_(0, rows.to(touched_[table].device()), true);
  }

 private:
  std::vector<torch::Tensor> params_, m_, v_, touched_;
  double beta1_, beta2_, eps_;
  long t_ = 0;
};

// AdamW over one flat buffer: every dense parameter and its gradient are views into two
// contiguous tensors, so a step is a handful of large vector operations instead of several
// small ones per parameter (the per-parameter loop cost ~10% of a step on short batches).
class FlatAdamW {
 public:
  // `lrScale` (empty: all 1): each parameter's learning rate as a share of the step's (layer-wise
  // decay); its weight decay is scaled alike, as with per-group learning rates in PyTorch.
  FlatAdamW(const std::vector<torch::Tensor>& params, const std::vector<double>& weightDecay,
            const std::vector<double>& lrScale = {}, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8);
  // Points the parameters (and their gradients) at the flat buffers, keeping their values.
  // Call again after anything replaced a parameter's storage (loading onto another device).
  void attach();
  void step(double lr);
  void zeroGrad() { grads_.zero_(); }
  double gradNorm() const { return grads_.norm().item<double>(); }
  void scaleGrads(double factor) { grads_.mul_(factor); }
  void save(torch::serialize::OutputArchive& archive) const;
  void load(torch::serialize::InputArchive& archive);

 private:
  std::vector<torch::Tensor> params_;
  torch::Tensor values_, grads_, m_, v_, decay_, lrScale_;  // lrScale_ undefined when all 1
  double beta1_, beta2_, eps_;
  long t_ = 0;
};

// Dynamic loss scaling for fp16 autocast on CUDA (bf16 needs none): the loss is multiplied by
// `scale` before backward so small gradients survive fp16; a step whose gradients overflowed is
// skipped and the scale halved; after `growthInterval` clean steps it doubles. As PyTorch's
// GradScaler does, with its defaults.
struct LossScale {
  double scale = 65536.0;
  int growthInterval = 2000;
  int cleanSteps = 0;
  long skippedSteps = 0;
  // After a step's gradients were unscaled: `finite` says whether they were usable.
  void update(bool finite) {
    if (!finite) {
      scale /= 2.0;
      cleanSteps = 0;
      ++skippedSteps;
    } else if (++cleanSteps >= growthInterval) {
      scale *= 2.0;
      cleanSteps = 0;
    }
  }
};

class TrainingOptimizer {
 public:
  // `lrScales`: per parameter of model.named_parameters() (empty: all 1), see FlatAdamW.
  TrainingOptimizer(torch::nn::Module& model, const std::vector<torch::Tensor>& sparse, double weightDecay,
                    const std::vector<double>& lrScales = {});
  // After loading weights: re-points parameters at the flat buffers.
  void attach() { dense_->attach(); }
  void setLearningRate(double lr);
  // Divides every gradient by `scale` (a LossScale's); false when any is infinite or NaN, and the
  // step must then be skipped.
  bool unscaleGradients(double scale);
  // Clips dense gradients to `maxNorm` (0: off); returns the norm before clipping.
  double clipGradients(double maxNorm);
  void step();
  void zeroGrad();
  void save(torch::serialize::OutputArchive& archive) const;
  void load(torch::serialize::InputArchive& archive);
  // The sparse tables' changed-row masks (see LazySparseAdam), empty without sparse tables.
  std::vector<torch::Tensor> touchedRows() const { return sparse_ ? sparse_->touchedRows() : std::vector<torch::Tensor>{}; }
  void markTouched(std::size_t table, const torch::Tensor& rows) { if (sparse_) sparse_->markTouched(table, rows); }

 private:
  std::unique_ptr<FlatAdamW> dense_;
  std::unique_ptr<LazySparseAdam> sparse_;
  double lr_ = 0.0;
};

}  // namespace foldbench::train
