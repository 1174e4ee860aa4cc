#pragma once
// One experiment, end to end. Every field is declared once in experiment_config.cpp with its
// JSON name, default, range and documentation; JSON reading, writing, validation and the
// `config init` output all come from that declaration.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "foldbench/config/choices.h"
#include "foldbench/data/dataset_format.h"
#include "foldbench/data/diagnostics.h"
#include "foldbench/data/folds.h"
#include "foldbench/text/input_format.h"

namespace foldbench::config {

struct DataConfig {
  std::string trainPath;        // training file (competition TSV, KLUE JSON/JSONL, or CSV)
  std::string testPath;         // optional test file for predictions
  std::string labelsPath;       // label map; empty: derived from the training data
  data::DatasetFormat format = data::DatasetFormat::Auto;  // auto: by extension
  data::BadRowPolicy badRows = data::BadRowPolicy::Stop;
  int repairWindow = 16;        // characters searched either side of a wrong entity offset
  std::string noRelationLabel = "관계_없음";  // left out of micro-F1 (the KLUE metric)
};

struct TokenizerConfig {
  std::string modelPath;        // existing sentencepiece .model; empty: train one on the data
  TokenizerType type = TokenizerType::Unigram;
  int vocabSize = 8000;
  double characterCoverage = 0.9995;
};

struct InputConfig {
  text::InputFormat format = text::InputFormat::TypedMarkers;
  int maxLen = 128;
};

struct ModelConfig {
  ModelFamily family = ModelFamily::Transformer;
  // transformer
  int layers = 4;
  int hidden = 256;
  int heads = 4;
  int feedForward = 1024;
  double dropout = 0.1;
  double attentionDropout = 0.1;
  double headDropout = 0.1;
  Pooling pooling = Pooling::Entity;
  // pretrained: a Hugging Face model folder (config.json, weights, tokenizer files)
  std::string pretrainedPath;
  // ngram
  int ngramBucketsLog2 = 18;  // hashed feature table of 2^N rows per part
  int ngramDim = 64;
  int charNgramMax = 3;
  int wordNgramMax = 2;
  bool ngramContext = false;  // a fifth part: the patterns around the two mentions
  int mlpHidden = 256;
  Precision ngramTablePrecision = Precision::Fp32;  // Fp32 or Fp16: the tables as validated and saved
};

struct TrainConfig {
  int batchSize = 32;
  int epochs = 9;
  double learningRate = 5e-5;
  double weightDecay = 0.01;
  double warmupRatio = 0.1;
  int warmupSteps = 0;          // > 0 overrides warmup_ratio
  double minLr = 5e-7;
  Scheduler scheduler = Scheduler::Cosine;
  int restartEpochs = 3;        // cycle length for cosine_restarts
  int stepEpochs = 3;           // decay interval for step
  double stepGamma = 0.5;
  LossKind loss = LossKind::CrossEntropy;
  double labelSmoothing = 0.1;
  double focalGamma = 2.0;
  double gradClip = 1.0;        // 0: off
  int gradAccumulation = 1;
  int logEverySteps = 10;
  int evalEverySteps = 0;       // 0: evaluate once per epoch
  int earlyStoppingPatience = 0;  // validations without improvement (once per epoch unless evalEverySteps); 0: off
  BestMetric bestMetric = BestMetric::Accuracy;
  Padding padding = Padding::Bucketed;
  std::uint64_t seed = 77;
  int threads = 0;              // 0: all cores
  Device device = Device::Auto;  // auto: CUDA when available
  Precision precision = Precision::Bf16;  // autocast on CUDA only
  BlasKernels blasKernels = BlasKernels::Auto;  // read when the program starts
  bool saveOptimizer = true;    // keep optimizer state in checkpoints so training can resume
  double layerLrDecay = 1.0;    // pretrained: each layer below the top learns at this times the rate above; 1: off
  Precision checkpointPrecision = Precision::Fp32;  // weights as validated and saved
};

struct KFoldConfig {
  bool enabled = true;
  int folds = 5;
  int fold = -1;            // train only this fold (cluster jobs); -1: all
  double valRatio = 0.2;    // when k-fold is off; 0: train on all data, no validation
  data::RareLabelPolicy rareLabels = data::RareLabelPolicy::Spread;
  int oversampleMinCount = 0;
  double oversampleMinFraction = 0.0;
};

struct RunConfig {
  std::string name;
  std::string outputDir = "runs";
};

struct ExperimentConfig {
  DataConfig data;
  TokenizerConfig tokenizer;
  InputConfig input;
  ModelConfig model;
  TrainConfig train;
  KFoldConfig kfold;
  RunConfig run;

  // Every out-of-range value and inconsistent setting, each as "section.field: why".
  std::vector<std::string> validate() const;
};

// A problem while reading a config: every unknown key and bad value at once.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(const std::string& source, std::vector<std::string> problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

std::string toJson(const ExperimentConfig& config, bool withDocs = false);
// Reads JSON over the defaults (missing keys keep their defaults). Throws ConfigError listing
// unknown keys, wrong types and validation problems.
ExperimentConfig fromJson(const std::string& json, const std::string& source = "config");
ExperimentConfig loadConfig(const std::string& path);
void saveConfig(const ExperimentConfig& config, const std::string& path);

// Named starting points: "sample" and "klue-re-scratch".
std::vector<std::string> presetNames();
ExperimentConfig preset(const std::string& name);

// The sample preset names its data as "resources/sample/<file>", which exists only in the
// source tree. Where such a path does not exist from the working directory, it is replaced by
// the same file in `bundledSampleDir` (the installed or build-tree copy), so presets and the
// configs `config init` writes work from any directory. Other paths are left alone.
void resolveBundledSamplePaths(ExperimentConfig& config, const std::string& bundledSampleDir);

// Field documentation, one entry per field, for `config init --docs` and the GUI form.
struct FieldDoc {
  std::string key;       // "train.batch_size"
  std::string type;      // int | float | bool | string
  std::string defaultValue;
  std::string range;     // "1..4096", "unigram|bpe", ...
  std::string doc;
};
std::vector<FieldDoc> fieldDocs();

}  // namespace foldbench::config
