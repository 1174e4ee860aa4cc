#pragma once
// Trains one fold. Plain C++ interface; LibTorch stays inside core/src.
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "foldbench/config/experiment_config.h"
#include "foldbench/train/observer.h"
#include "foldbench/train/training_data.h"

namespace foldbench::train {

struct DeviceInfo {
  std::string device;  // "cpu" or "cuda:0"
  int threads = 1;
  config::Precision precision = config::Precision::Fp32;  // effective: fp32 on CPU
};

// Picks the device and sets torch's intra-op threads for the calling thread (Debian's torch
// starts with one). Call at the start of every thread that runs torch.
DeviceInfo configureDevice(const config::TrainConfig& config);
// The LibTorch this program was built against ("1.13.0"), as the tracker records it.
std::string torchVersion();

class FoldTrainer {
 public:
  // `checkpointPath`: where the best checkpoint of this fold is written.
  FoldTrainer(const config::ExperimentConfig& config, const TrainingData& data, int fold, std::string checkpointPath);
  ~FoldTrainer();

  // Trains on `trainRows` (oversampled already), validating on `validationRows` (may be empty).
  // Never throws for training failures: they end in FoldStatus::Failed with the message.
  FoldResult train(const std::vector<int>& trainRows, const std::vector<int>& validationRows,
                   TrainingObserver& observer, const std::atomic<bool>& cancel);
  // Continues from a checkpoint written by train() with the same config and rows.
  FoldResult resume(const std::string& checkpoint, const std::vector<int>& trainRows,
                    const std::vector<int>& validationRows, TrainingObserver& observer,
                    const std::atomic<bool>& cancel);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Rows per forward pass when a run scores rows (validation, out-of-fold, resume): twice the
// training batch, as no gradients are kept.
int evaluationBatchSize(const config::TrainConfig& config);

// Class probabilities [rows][labels] from a fold checkpoint, in the order of `rows`.
// batchSize 0: the run's own evaluationBatchSize. The probabilities are bit-identical to those
// the run scored for the same rows when the batches are the same (the same rows, batch size and
// length order) and so is the thread count (the checkpoint's train.threads): AVX2 BLAS kernels
// round differently with the matrix shapes and with how the work is split between threads.
// Other batch shapes or thread counts agree to float rounding (docs/GUIDE.md, "Exactness").
std::vector<std::vector<float>> predictProbabilities(const std::string& checkpoint, const TrainingData& data,
                                                     const std::vector<int>& rows, int batchSize = 0);

}  // namespace foldbench::train
