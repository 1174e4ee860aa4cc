#include "foldbench/config/experiment_config.h"

#include <cmath>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>

namespace foldbench::config {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// One declared field: JSON key, kind, range or choices, documentation, and accessors.
struct Field {
  std::string section, key;
  std::string type;
  double min = 0, max = 0;
  std::vector<std::string> choices;
  std::string doc;
  std::function<json(const ExperimentConfig&)> get;
  std::function<void(ExperimentConfig&, const json&)> set;

  std::string path() const { return section + "." + key; }
  std::string range() const {
    if (!choices.empty()) {
      std::string r;
      for (const auto& c : choices) r += (r.empty() ? "" : "|") + c;
      return r;
    }
    if (type == "int" || type == "float") {
      std::ostringstream s;
      s << min << ".." << max;
      return s.str();
    }
    return {};
  }
};

template <typename S, typename T>
Field field(const char* section, const char* key, S ExperimentConfig::*part, T S::*member, double min, double max,
            std::vector<std::string> choices, const char* doc) {
  Field f;
  f.section = section;
  f.key = key;
  if constexpr (std::is_same_v<T, bool>) f.type = "bool";
  else if constexpr (std::is_integral_v<T>) f.type = "int";
  else if constexpr (std::is_floating_point_v<T>) f.type = "float";
  else f.type = "string";
  f.min = min;
  f.max = max;
  f.choices = std::move(choices);
  f.doc = doc;
  f.get = [part, member](const ExperimentConfig& c) { return json((c.*part).*member); };
  f.set = [part, member](ExperimentConfig& c, const json& v) { (c.*part).*member = v.get<T>(); };
  return f;
}

const std::vector<Field>& fields() {
  using E = ExperimentConfig;
  static const std::vector<Field> all = {
      field("data", "train_path", &E::data, &DataConfig::trainPath, 0, 0, {}, "training file (competition TSV, KLUE JSON/JSONL or CSV)"),
      field("data", "test_path", &E::data, &DataConfig::testPath, 0, 0, {}, "test file to predict after training (optional)"),
      field("data", "labels_path", &E::data, &DataConfig::labelsPath, 0, 0, {}, "label map name<TAB>id; empty: derived from the training data"),
      field("data", "format", &E::data, &DataConfig::format, 0, 0, {"auto", "tsv", "json", "csv"}, "file format; auto: by extension"),
      field("data", "bad_rows", &E::data, &DataConfig::badRows, 0, 0, {"stop", "skip"}, "stop on bad rows (listing all) or skip and report them"),
      field("data", "repair_window", &E::data, &DataConfig::repairWindow, 0, 1000, {}, "characters searched either side of a wrong entity offset"),
      field("data", "no_relation_label", &E::data, &DataConfig::noRelationLabel, 0, 0, {}, "label left out of micro-F1 (KLUE metric)"),
      field("tokenizer", "model_path", &E::tokenizer, &TokenizerConfig::modelPath, 0, 0, {}, "existing sentencepiece .model; empty: train one on the training sentences"),
      field("tokenizer", "type", &E::tokenizer, &TokenizerConfig::type, 0, 0, {"unigram", "bpe"}, "sentencepiece model type when training"),
      field("tokenizer", "vocab_size", &E::tokenizer, &TokenizerConfig::vocabSize, 100, 1000000, {}, "pieces when training (Korean needs well above 2,000)"),
      field("tokenizer", "character_coverage", &E::tokenizer, &TokenizerConfig::characterCoverage, 0.9, 1.0, {}, "share of characters covered by the alphabet"),
      field("input", "format", &E::input, &InputConfig::format, 0, 0, {"pair", "markers", "typed", "punct"}, "entity input format (pair: the seed's 'subject [SEP] object' + sentence)"),
      field("input", "max_len", &E::input, &InputConfig::maxLen, 8, 4096, {}, "maximum tokens per example; entities are never cut"),
      field("model", "family", &E::model, &ModelConfig::family, 0, 0, {"transformer", "ngram"}, "transformer encoder, or hashed n-gram bags + MLP"),
      field("model", "layers", &E::model, &ModelConfig::layers, 1, 48, {}, "transformer blocks"),
      field("model", "hidden", &E::model, &ModelConfig::hidden, 8, 8192, {}, "hidden size (divisible by heads)"),
      field("model", "heads", &E::model, &ModelConfig::heads, 1, 64, {}, "attention heads"),
      field("model", "feed_forward", &E::model, &ModelConfig::feedForward, 8, 32768, {}, "feed-forward size"),
      field("model", "dropout", &E::model, &ModelConfig::dropout, 0, 0.9, {}, "dropout in blocks and embeddings"),
      field("model", "attention_dropout", &E::model, &ModelConfig::attentionDropout, 0, 0.9, {}, "dropout on attention weights"),
      field("model", "head_dropout", &E::model, &ModelConfig::headDropout, 0, 0.9, {}, "dropout in the classifier head"),
      field("model", "pooling", &E::model, &ModelConfig::pooling, 0, 0, {"entity", "cls", "mean"}, "entity: [CLS] + both entity start states (R-BERT)"),
      field("model", "ngram_buckets_log2", &E::model, &ModelConfig::ngramBucketsLog2, 10, 24, {}, "hashed n-gram table of 2^N rows per part"),
      field("model", "ngram_dim", &E::model, &ModelConfig::ngramDim, 4, 1024, {}, "n-gram embedding size"),
      field("model", "char_ngram_max", &E::model, &ModelConfig::charNgramMax, 1, 6, {}, "longest character n-gram"),
      field("model", "word_ngram_max", &E::model, &ModelConfig::wordNgramMax, 0, 4, {}, "longest word n-gram (0: none)"),
      field("model", "mlp_hidden", &E::model, &ModelConfig::mlpHidden, 4, 8192, {}, "hidden size of the n-gram model's MLP"),
      field("train", "batch_size", &E::train, &TrainConfig::batchSize, 1, 8192, {}, "examples per step"),
      field("train", "epochs", &E::train, &TrainConfig::epochs, 1, 1000, {}, "training epochs"),
      field("train", "lr", &E::train, &TrainConfig::learningRate, 1e-8, 10, {}, "peak learning rate"),
      field("train", "weight_decay", &E::train, &TrainConfig::weightDecay, 0, 1, {}, "decoupled weight decay (not on biases, LayerNorm, n-gram tables)"),
      field("train", "warmup_ratio", &E::train, &TrainConfig::warmupRatio, 0, 1, {}, "warm-up as a share of all steps"),
      field("train", "warmup_steps", &E::train, &TrainConfig::warmupSteps, 0, 10000000, {}, "warm-up steps; > 0 overrides warmup_ratio"),
      field("train", "min_lr", &E::train, &TrainConfig::minLr, 0, 10, {}, "floor of the cosine schedules"),
      field("train", "scheduler", &E::train, &TrainConfig::scheduler, 0, 0, {"constant", "linear", "cosine", "cosine_restarts", "step"}, "learning-rate schedule after warm-up"),
      field("train", "restart_epochs", &E::train, &TrainConfig::restartEpochs, 1, 1000, {}, "cycle length of cosine_restarts (SGDR)"),
      field("train", "step_epochs", &E::train, &TrainConfig::stepEpochs, 1, 1000, {}, "interval of step decay"),
      field("train", "step_gamma", &E::train, &TrainConfig::stepGamma, 0, 1, {}, "factor of step decay"),
      field("train", "loss", &E::train, &TrainConfig::loss, 0, 0, {"ce", "focal", "weighted_ce"}, "cross-entropy, focal, or class-weighted cross-entropy"),
      field("train", "label_smoothing", &E::train, &TrainConfig::labelSmoothing, 0, 0.99, {}, "label smoothing of the cross-entropy losses"),
      field("train", "focal_gamma", &E::train, &TrainConfig::focalGamma, 0, 10, {}, "focusing parameter of the focal loss"),
      field("train", "grad_clip", &E::train, &TrainConfig::gradClip, 0, 1000, {}, "gradient norm clip (0: off)"),
      field("train", "grad_accumulation", &E::train, &TrainConfig::gradAccumulation, 1, 1024, {}, "batches per optimizer step"),
      field("train", "log_every_steps", &E::train, &TrainConfig::logEverySteps, 1, 1000000, {}, "steps between step metrics"),
      field("train", "eval_every_steps", &E::train, &TrainConfig::evalEverySteps, 0, 10000000, {}, "steps between validations (0: once per epoch)"),
      field("train", "early_stopping_patience", &E::train, &TrainConfig::earlyStoppingPatience, 0, 1000, {}, "evaluations without improvement before stopping (0: off)"),
      field("train", "best_metric", &E::train, &TrainConfig::bestMetric, 0, 0, {"accuracy", "micro_f1", "loss"}, "metric that picks the kept checkpoint"),
      field("train", "padding", &E::train, &TrainConfig::padding, 0, 0, {"bucketed", "fixed"}, "length-bucketed dynamic padding, or pad to max_len"),
      field("train", "seed", &E::train, &TrainConfig::seed, 0, 9.2e18, {}, "seed of folds, initialisation, shuffling and dropout"),
      field("train", "threads", &E::train, &TrainConfig::threads, 0, 1024, {}, "CPU threads for torch (0: all cores)"),
      field("train", "device", &E::train, &TrainConfig::device, 0, 0, {"auto", "cpu", "cuda"}, "auto: CUDA when available"),
      field("train", "precision", &E::train, &TrainConfig::precision, 0, 0, {"fp32", "bf16", "fp16"}, "autocast precision on CUDA (CPU always fp32)"),
      field("train", "save_optimizer", &E::train, &TrainConfig::saveOptimizer, 0, 0, {}, "keep optimizer state in checkpoints so training can resume (triples n-gram checkpoints)"),
      field("kfold", "enabled", &E::kfold, &KFoldConfig::enabled, 0, 0, {}, "stratified k-fold; off: one split by val_ratio"),
      field("kfold", "folds", &E::kfold, &KFoldConfig::folds, 2, 100, {}, "number of folds"),
      field("kfold", "fold", &E::kfold, &KFoldConfig::fold, -1, 99, {}, "train only this fold (-1: all)"),
      field("kfold", "val_ratio", &E::kfold, &KFoldConfig::valRatio, 0, 0.9, {}, "validation share without k-fold (0: train on everything)"),
      field("kfold", "rare_labels", &E::kfold, &KFoldConfig::rareLabels, 0, 0, {"spread", "train_only"}, "labels with fewer rows than folds"),
      field("kfold", "oversample_min_count", &E::kfold, &KFoldConfig::oversampleMinCount, 0, 1000000, {}, "raise each label to this many training rows"),
      field("kfold", "oversample_min_fraction", &E::kfold, &KFoldConfig::oversampleMinFraction, 0, 1, {}, "... or to this share of the largest label"),
      field("run", "name", &E::run, &RunConfig::name, 0, 0, {}, "run name shown in the tracker"),
      field("run", "output_dir", &E::run, &RunConfig::outputDir, 0, 0, {}, "where runs write checkpoints and summaries"),
  };
  return all;
}

std::string describe(const json& v) {
  std::string s = v.dump();
  return s.size() > 40 ? s.substr(0, 37) + "..." : s;
}

// Checks a value against its declaration; empty when fine.
std::string checkValue(const Field& f, const json& v) {
  if (f.type == "bool" && !v.is_boolean()) return "expected true or false, got " + describe(v);
  if (f.type == "int" && !v.is_number_integer()) return "expected an integer, got " + describe(v);
  if (f.type == "float" && !v.is_number()) return "expected a number, got " + describe(v);
  if (f.type == "string" && !v.is_string()) return "expected a string, got " + describe(v);
  if ((f.type == "int" || f.type == "float") && (f.min != 0 || f.max != 0)) {
    const double x = v.get<double>();
    if (!std::isfinite(x) || x < f.min || x > f.max) return "must be within " + f.range() + ", got " + describe(v);
  }
  if (!f.choices.empty()) {
    const auto s = v.get<std::string>();
    if (std::find(f.choices.begin(), f.choices.end(), s) == f.choices.end())
      return "must be one of " + f.range() + ", got \"" + s + "\"";
  }
  return {};
}

}  // namespace

ConfigError::ConfigError(const std::string& source, std::vector<std::string> problems)
    : std::runtime_error([&] {
        std::string text = source + ": " + std::to_string(problems.size()) + " problem(s) in the configuration";
        for (const auto& p : problems) text += "\n  " + p;
        return text;
      }()),
      problems_(std::move(problems)) {}

std::vector<std::string> ExperimentConfig::validate() const {
  std::vector<std::string> problems;
  for (const auto& f : fields())
    if (auto why = checkValue(f, f.get(*this)); !why.empty()) problems.push_back(f.path() + ": " + why);
  if (model.family == "transformer" && model.heads > 0 && model.hidden % model.heads != 0)
    problems.push_back("model.hidden: " + std::to_string(model.hidden) + " is not divisible by model.heads " +
                       std::to_string(model.heads));
  if (kfold.enabled && kfold.fold >= kfold.folds)
    problems.push_back("kfold.fold: " + std::to_string(kfold.fold) + " does not exist with " +
                       std::to_string(kfold.folds) + " folds");
  if (train.minLr > train.learningRate)
    problems.push_back("train.min_lr: larger than train.lr");
  if (data.trainPath.empty()) problems.push_back("data.train_path: required");
  return problems;
}

std::string toJson(const ExperimentConfig& config, bool withDocs) {
  ordered_json out = ordered_json::object();
  for (const auto& f : fields()) {
    out[f.section][f.key] = f.get(config);
    if (withDocs) out[f.section]["_doc_" + f.key] = f.doc + (f.range().empty() ? "" : " [" + f.range() + "]");
  }
  return out.dump(2);
}

ExperimentConfig fromJson(const std::string& text, const std::string& source) {
  json in;
  try {
    in = json::parse(text);
  } catch (const json::parse_error& e) {
    throw ConfigError(source, {std::string("not valid JSON: ") + e.what()});
  }
  if (!in.is_object()) throw ConfigError(source, {"the top level must be an object of sections"});
  ExperimentConfig config;
  std::vector<std::string> problems;
  for (const auto& [section, values] : in.items()) {
    bool knownSection = false;
    for (const auto& f : fields()) knownSection |= f.section == section;
    if (!knownSection) {
      problems.push_back(section + ": unknown section");
      continue;
    }
    if (!values.is_object()) {
      problems.push_back(section + ": must be an object");
      continue;
    }
    for (const auto& [key, value] : values.items()) {
      if (key.rfind("_doc_", 0) == 0) continue;  // documentation written by config init --docs
      const auto f = std::find_if(fields().begin(), fields().end(),
                                  [&](const Field& x) { return x.section == section && x.key == key; });
      if (f == fields().end()) {
        problems.push_back(section + "." + key + ": unknown key");
        continue;
      }
      if (auto why = checkValue(*f, value); !why.empty()) {
        problems.push_back(f->path() + ": " + why);
        continue;
      }
      f->set(config, value);
    }
  }
  if (problems.empty())
    for (auto& p : config.validate())
      if (p != "data.train_path: required") problems.push_back(p);
  if (!problems.empty()) throw ConfigError(source, problems);
  return config;
}

ExperimentConfig loadConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path, {"cannot open the file"});
  std::stringstream buffer;
  buffer << in.rdbuf();
  return fromJson(buffer.str(), path);
}

void saveConfig(const ExperimentConfig& config, const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  out << toJson(config) << '\n';
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::vector<std::string> presetNames() { return {"sample", "klue-re-scratch"}; }

ExperimentConfig preset(const std::string& name) {
  ExperimentConfig c;
  if (name == "sample") {
    // The bundled sample data: a small transformer that finishes in a few minutes on 2 cores.
    c.data.trainPath = "resources/sample/train.tsv";
    c.data.testPath = "resources/sample/test.tsv";
    c.data.labelsPath = "resources/sample/labels.tsv";
    c.tokenizer.vocabSize = 1000;
    c.input.format = "markers";
    c.input.maxLen = 64;
    c.model.layers = 2;
    c.model.hidden = 128;
    c.model.heads = 4;
    c.model.feedForward = 512;
    c.train.epochs = 15;
    c.train.learningRate = 1e-3;
    c.train.warmupRatio = 0.1;
    c.train.minLr = 1e-5;
    c.train.batchSize = 32;
    c.run.name = "sample";
    return c;
  }
  if (name == "klue-re-scratch") {
    // Best from-scratch recipe found for the competition data (see docs/RESULTS.md).
    c.data.trainPath = "../shared/data/klue-re-pstage/train.tsv";
    c.data.testPath = "../shared/data/klue-re-pstage/test.tsv";
    c.data.labelsPath = "../shared/data/klue-re-pstage/labels.tsv";
    c.model.family = "ngram";
    c.model.ngramBucketsLog2 = 18;
    c.model.ngramDim = 128;
    c.model.charNgramMax = 3;
    c.model.wordNgramMax = 2;
    c.model.mlpHidden = 512;
    c.model.headDropout = 0.3;
    c.train.epochs = 10;
    c.train.batchSize = 32;
    c.train.learningRate = 1e-2;
    c.train.minLr = 2e-5;
    c.train.warmupRatio = 0.05;
    c.train.labelSmoothing = 0.1;
    c.train.weightDecay = 0.01;
    c.train.saveOptimizer = false;  // 0.5 GB instead of 1.6 GB per fold checkpoint
    c.run.name = "klue-re-scratch";
    return c;
  }
  std::string names;
  for (const auto& n : presetNames()) names += (names.empty() ? "" : ", ") + n;
  throw std::invalid_argument("unknown preset '" + name + "' (" + names + ")");
}

std::vector<FieldDoc> fieldDocs() {
  std::vector<FieldDoc> docs;
  const ExperimentConfig defaults;
  for (const auto& f : fields()) docs.push_back({f.path(), f.type, f.get(defaults).dump(), f.range(), f.doc});
  return docs;
}

}  // namespace foldbench::config
