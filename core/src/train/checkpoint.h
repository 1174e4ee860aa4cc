#pragma once
// Private: a fold checkpoint holds the model, the optimizer state and where training was.
#include <string>

#include "classifier.h"
#include "foldbench/config/experiment_config.h"
#include "optimizer.h"

namespace foldbench::train {

// Running sums over the batches of an epoch, for its train loss and accuracy.
struct EpochTotals {
  double lossSum = 0.0;
  long correct = 0, seen = 0;
};

struct CheckpointState {
  int epoch = 0;        // completed epochs
  int batchesDone = 0;  // batches of the next epoch already trained (a mid-epoch checkpoint)
  long step = 0;        // optimizer steps
  int bestEpoch = 0;
  double bestScore = 0; // value of the best metric, higher is better
  double bestTrainAccuracy = 0.0;
  int evaluationsWithoutImprovement = 0;
  EpochTotals epochTotals;  // of the epoch in progress
  int numLabels = 0;
  int vocabSize = 0;
  int maxLen = 0;
  std::string configJson;
  config::Precision weightPrecision = config::Precision::Fp32;  // Fp16 | Bf16: dense weights stored halved (the caller holds them rounded, RoundedWeights)
  bool halfTables = false;  // n-gram rows stored in fp16: the caller holds them rounded (HalfRoundedTables)
};

// Written to a temporary file and renamed, so a crash never leaves a broken checkpoint.
// `optimizer` (may be null) is stored for resuming; `rowsFrom` (may be null) only tells which
// n-gram table rows training changed, which spares comparing every row with its initial value.
void saveCheckpoint(const std::string& path, model::ClassifierModule& model, const TrainingOptimizer* optimizer,
                    const CheckpointState& state, const TrainingOptimizer* rowsFrom = nullptr);
// One read of the file: a checkpoint of an n-gram model is hundreds of megabytes.
class CheckpointReader {
 public:
  explicit CheckpointReader(const std::string& path);
  CheckpointState state();
  // torch's CPU generator when the checkpoint was written: dropout continues from it.
  torch::Tensor generatorState();
  // With `optimizer`, also its state and the n-gram rows it must treat as changed.
  void loadInto(model::ClassifierModule& model, TrainingOptimizer* optimizer);

 private:
  std::string path_;
  torch::serialize::InputArchive archive_;
};


}  // namespace foldbench::train
