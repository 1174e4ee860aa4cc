#pragma once
// A whole run: data, tokenizer, encoded inputs, folds, training of every fold, out-of-fold
// probabilities and the cross-validation summary. Plain C++; torch stays in core/src.
#include <atomic>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "foldbench/config/experiment_config.h"
#include "foldbench/data/diagnostics.h"
#include "foldbench/data/label_map.h"
#include "foldbench/train/fold_trainer.h"

namespace foldbench::kfold {

struct CvStat {
  std::vector<double> values;  // per trained fold, in fold order
  double mean = 0.0;
  double stddev = 0.0;  // population standard deviation
};
CvStat cvStat(std::vector<double> values);

struct RunResult {
  std::string runId;
  std::string runDir;
  RunStatus status = RunStatus::Finished;  // finished, stopped or failed
  std::string error;
  train::DeviceInfo device;
  std::vector<train::FoldResult> folds;
  CvStat trainAccuracy, validationAccuracy, validationMicroF1, validationLoss;
  // Out-of-fold class probabilities per training row; empty for rows without one.
  std::vector<std::vector<float>> outOfFold;
  double outOfFoldAccuracy = 0.0;
  double seconds = 0.0;
};

// Loaded and encoded data of a run.
struct PreparedRun {
  config::ExperimentConfig config;
  std::string runId;
  std::string runDir;
  data::LabelMap labels;
  data::LoadReport report;
  std::vector<std::string> rowIds;
  train::TrainingData data;
  std::string tokenizerPath;  // empty for the n-gram family; a folder for the pretrained one
};

// Where a run keeps its tokenizer: "" for the n-gram family, <run>/tokenizer.model for the
// transformer, <run>/pretrained (config.json and the tokenizer files of the model folder) for a
// pretrained encoder.
std::string runTokenizerPath(const config::ExperimentConfig& config, const std::string& runDir);

// Copies what a run needs of a pretrained model folder to read text again (config.json and the
// tokenizer files, not the weights) into `into`.
void copyPretrainedTokenizer(const std::string& modelFolder, const std::string& into);

// Thrown by prepareRun when `cancel` was raised during preparation.
class RunCancelled : public std::runtime_error {
 public:
  RunCancelled();
};

// Loads and checks the data, then creates `<output_dir>/<run id>/`, trains or copies the
// tokenizer and encodes every row, reporting each phase to `observer`. Throws DataError /
// ConfigError / runtime_error, or RunCancelled when `cancel` is raised between phases or
// encoding chunks; on any throw no run directory is left behind.
PreparedRun prepareRun(const config::ExperimentConfig& config, train::TrainingObserver& observer,
                       const std::atomic<bool>* cancel = nullptr);

// A sweep trial racing over folds (sweep/racing.h): its folds in `order` (folds it omits are not
// trained), and after each fold `judge` sees the folds trained so far and says why the run
// should stop there, or "" to go on. A run so stopped ends pruned, the reason as its error.
struct FoldRace {
  std::vector<int> order;
  std::function<std::string(const std::vector<train::FoldResult>&)> judge;
};

// Trains the folds the config asks for, in fold order unless `race` orders them. Never throws
// for training failures.
RunResult runFolds(const PreparedRun& prepared, train::TrainingObserver& observer, const std::atomic<bool>& cancel,
                   const FoldRace* race = nullptr);

// Model inputs for `rows` with a run's settings (used for prediction on new files).
train::TrainingData encodeForRun(const config::ExperimentConfig& config, const std::vector<data::Example>& rows,
                                 const data::LabelMap& labels, const std::string& tokenizerPath,
                                 train::TrainingObserver* observer = nullptr, const std::atomic<bool>* cancel = nullptr);

// Writes summary.json and oof.tsv into the run directory.
void writeRunFiles(const PreparedRun& prepared, const RunResult& result);

std::string newRunId();

}  // namespace foldbench::kfold
