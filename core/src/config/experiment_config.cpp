#include <filesystem>
#include "foldbench/config/experiment_config.h"

#include "foldbench/platform/atomic_file.h"

#include <algorithm>
#include <optional>

#include "foldbench/config/field_spec.h"
#include "foldbench/util/numbers.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace foldbench::config {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;
using E = ExperimentConfig;

const char* kDatasetFilter = "Datasets (*.tsv *.json *.jsonl *.csv);;All files (*)";
const char* kLabelsFilter = "Label maps (*.tsv *.txt);;All files (*)";
const std::vector<ModelFamily> kTransformer = {ModelFamily::Transformer};
const std::vector<ModelFamily> kNgram = {ModelFamily::Ngram};
const std::vector<ModelFamily> kPretrained = {ModelFamily::Pretrained};
const std::vector<ModelFamily> kTokenModels = {ModelFamily::Transformer, ModelFamily::Pretrained};

std::vector<FieldSpec> declare() {
  return {
      field("data", "train_path", &E::data, &DataConfig::trainPath).file(kDatasetFilter)
          .mandatory("put the path of your training file there (for KLUE-RE: the competition's train.tsv)")
          .describe("training file (competition TSV, KLUE JSON/JSONL or CSV)"),
      field("data", "test_path", &E::data, &DataConfig::testPath).file(kDatasetFilter)
          .describe("test file to predict after training (optional)"),
      field("data", "labels_path", &E::data, &DataConfig::labelsPath).file(kLabelsFilter)
          .describe("label map name<TAB>id; empty: derived from the training data"),
      field("data", "format", &E::data, &DataConfig::format)
          .describe("file format; auto: by extension"),
      field("data", "bad_rows", &E::data, &DataConfig::badRows)
          .describe("stop on bad rows (listing all) or skip and report them"),
      field("data", "repair_window", &E::data, &DataConfig::repairWindow).bounds(0, 1000)
          .describe("characters searched either side of a wrong entity offset"),
      field("data", "no_relation_label", &E::data, &DataConfig::noRelationLabel)
          .describe("label left out of micro-F1 (KLUE metric)"),
      field("tokenizer", "model_path", &E::tokenizer, &TokenizerConfig::modelPath)
          .file("sentencepiece models (*.model);;All files (*)").when("model.family", kTransformer)
          .describe("existing sentencepiece .model; empty: train one per run on every training sentence, the "
                    "validation rows of each fold included (their text only, never their labels)"),
      field("tokenizer", "type", &E::tokenizer, &TokenizerConfig::type)
          .when("model.family", kTransformer).describe("sentencepiece model type when training"),
      field("tokenizer", "vocab_size", &E::tokenizer, &TokenizerConfig::vocabSize).bounds(100, 1000000).stepBy(500)
          .when("model.family", kTransformer).describe("pieces when training (Korean needs well above 2,000)"),
      field("tokenizer", "character_coverage", &E::tokenizer, &TokenizerConfig::characterCoverage).bounds(0.9, 1.0)
          .stepBy(0.0005).when("model.family", kTransformer).describe("share of characters covered by the alphabet"),
      field("input", "format", &E::input, &InputConfig::format)
          .when("model.family", kTokenModels)
          .describe("entity input format (pair: the seed's 'subject [SEP] object' + sentence; punct: '@ * type * "
                    "subject @' needs no new tokens; markers and typed add tokens)"),
      field("input", "max_len", &E::input, &InputConfig::maxLen).bounds(8, 4096).stepBy(16)
          .when("model.family", kTokenModels).describe("maximum tokens per example; entities are never cut"),
      field("model", "family", &E::model, &ModelConfig::family)
          .describe("transformer encoder from scratch, hashed n-gram bags + MLP, or a pretrained Hugging Face "
                    "encoder fine-tuned"),
      field("model", "pretrained_path", &E::model, &ModelConfig::pretrainedPath).folder()
          .mandatory("put a Hugging Face model folder there (config.json, model.safetensors, tokenizer files; "
                     "e.g. bert-base-multilingual-cased as save_pretrained writes it; docs/GUIDE.md)")
          .when("model.family", kPretrained)
          .describe("Hugging Face model folder (config.json, model.safetensors, tokenizer files): bert, roberta, "
                    "xlm-roberta or electra; see 'foldbench-cli model inspect'"),
      field("model", "layers", &E::model, &ModelConfig::layers).bounds(1, 48).when("model.family", kTransformer)
          .describe("transformer blocks"),
      field("model", "hidden", &E::model, &ModelConfig::hidden).bounds(8, 8192).stepBy(32)
          .when("model.family", kTransformer).describe("hidden size (divisible by heads)"),
      field("model", "heads", &E::model, &ModelConfig::heads).bounds(1, 64).when("model.family", kTransformer)
          .describe("attention heads"),
      field("model", "feed_forward", &E::model, &ModelConfig::feedForward).bounds(8, 32768).stepBy(128)
          .when("model.family", kTransformer).describe("feed-forward size"),
      field("model", "dropout", &E::model, &ModelConfig::dropout).bounds(0, 0.9).stepBy(0.05)
          .when("model.family", kTransformer).describe("dropout in blocks and embeddings"),
      field("model", "attention_dropout", &E::model, &ModelConfig::attentionDropout).bounds(0, 0.9).stepBy(0.05)
          .when("model.family", kTransformer).describe("dropout on attention weights"),
      field("model", "head_dropout", &E::model, &ModelConfig::headDropout).bounds(0, 0.9).stepBy(0.05)
          .describe("dropout in the classifier head"),
      field("model", "pooling", &E::model, &ModelConfig::pooling)
          .when("model.family", kTokenModels)
          .describe("entity: both entity start states, with [CLS] for the transformer (R-BERT); in the pair format "
                    "the entities' copies before the sentence; cls: the pretrained pooler where there is one"),
      field("model", "ngram_buckets_log2", &E::model, &ModelConfig::ngramBucketsLog2).bounds(10, 24)
          .when("model.family", kNgram).describe("hashed n-gram table of 2^N rows per part"),
      field("model", "ngram_dim", &E::model, &ModelConfig::ngramDim).bounds(4, 1024).stepBy(16)
          .when("model.family", kNgram).describe("n-gram embedding size"),
      field("model", "char_ngram_max", &E::model, &ModelConfig::charNgramMax).bounds(1, 6)
          .when("model.family", kNgram).describe("longest character n-gram"),
      field("model", "word_ngram_max", &E::model, &ModelConfig::wordNgramMax).bounds(0, 4)
          .when("model.family", kNgram).describe("longest word n-gram (0: none)"),
      field("model", "ngram_context", &E::model, &ModelConfig::ngramContext).when("model.family", kNgram)
          .describe("a fifth part: n-grams around the mentions, with the mentions masked"),
      field("model", "mlp_hidden", &E::model, &ModelConfig::mlpHidden).bounds(4, 8192).stepBy(64)
          .when("model.family", kNgram).describe("hidden size of the n-gram model's MLP"),
      field("model", "ngram_table_precision", &E::model, &ModelConfig::ngramTablePrecision)
          .among({Precision::Fp32, Precision::Fp16})
          .when("model.family", kNgram)
          .describe("the n-gram tables as validated and saved; fp16 halves a checkpoint (training keeps fp32; "
                    "needs train.save_optimizer off)"),
      field("train", "batch_size", &E::train, &TrainConfig::batchSize).bounds(1, 8192).stepBy(8)
          .describe("examples per step"),
      field("train", "epochs", &E::train, &TrainConfig::epochs).bounds(1, 1000).describe("training epochs"),
      field("train", "lr", &E::train, &TrainConfig::learningRate).bounds(1e-8, 10).logarithmic()
          .describe("peak learning rate"),
      field("train", "weight_decay", &E::train, &TrainConfig::weightDecay).bounds(0, 1).stepBy(0.005)
          .describe("decoupled weight decay (not on biases, LayerNorm, n-gram tables)"),
      field("train", "warmup_ratio", &E::train, &TrainConfig::warmupRatio).bounds(0, 1).stepBy(0.01)
          .describe("warm-up as a share of all steps"),
      field("train", "warmup_steps", &E::train, &TrainConfig::warmupSteps).bounds(0, 10000000).stepBy(10)
          .describe("warm-up steps; > 0 overrides warmup_ratio"),
      field("train", "min_lr", &E::train, &TrainConfig::minLr).bounds(0, 10).logarithmic()
          .when("train.scheduler", {Scheduler::Cosine, Scheduler::CosineRestarts}).describe("floor of the cosine schedules"),
      field("train", "scheduler", &E::train, &TrainConfig::scheduler)
          .describe("learning-rate schedule after warm-up"),
      field("train", "restart_epochs", &E::train, &TrainConfig::restartEpochs).bounds(1, 1000)
          .when("train.scheduler", {Scheduler::CosineRestarts}).describe("cycle length of cosine_restarts (SGDR)"),
      field("train", "step_epochs", &E::train, &TrainConfig::stepEpochs).bounds(1, 1000)
          .when("train.scheduler", {Scheduler::Step}).describe("interval of step decay"),
      field("train", "step_gamma", &E::train, &TrainConfig::stepGamma).bounds(0, 1).stepBy(0.05)
          .when("train.scheduler", {Scheduler::Step}).describe("factor of step decay"),
      field("train", "loss", &E::train, &TrainConfig::loss)
          .describe("cross-entropy, focal, or class-weighted cross-entropy"),
      field("train", "label_smoothing", &E::train, &TrainConfig::labelSmoothing).bounds(0, 0.99).stepBy(0.05)
          .describe("label smoothing of the cross-entropy losses"),
      field("train", "focal_gamma", &E::train, &TrainConfig::focalGamma).bounds(0, 10).stepBy(0.5)
          .when("train.loss", {LossKind::Focal}).describe("focusing parameter of the focal loss"),
      field("train", "grad_clip", &E::train, &TrainConfig::gradClip).bounds(0, 1000).stepBy(0.5)
          .describe("gradient norm clip (0: off)"),
      field("train", "grad_accumulation", &E::train, &TrainConfig::gradAccumulation).bounds(1, 1024)
          .describe("batches per optimizer step"),
      field("train", "log_every_steps", &E::train, &TrainConfig::logEverySteps).bounds(1, 1000000)
          .describe("steps between step metrics"),
      field("train", "eval_every_steps", &E::train, &TrainConfig::evalEverySteps).bounds(0, 10000000).stepBy(50)
          .describe("steps between validations (0: once per epoch)"),
      field("train", "early_stopping_patience", &E::train, &TrainConfig::earlyStoppingPatience).bounds(0, 1000)
          .describe("validations (once per epoch unless eval_every_steps) without improvement before stopping (0: off)"),
      field("train", "best_metric", &E::train, &TrainConfig::bestMetric)
          .describe("metric that picks the kept checkpoint"),
      field("train", "padding", &E::train, &TrainConfig::padding)
          .when("model.family", kTokenModels).describe("length-bucketed dynamic padding, or pad to max_len"),
      field("train", "seed", &E::train, &TrainConfig::seed).bounds(0, 9.2e18)
          .describe("seed of folds, initialisation, shuffling and dropout"),
      field("train", "threads", &E::train, &TrainConfig::threads).bounds(0, 1024)
          .describe("CPU threads for torch (0: all cores)"),
      field("train", "device", &E::train, &TrainConfig::device)
          .describe("auto: CUDA when available"),
      field("train", "precision", &E::train, &TrainConfig::precision)
          .among({Precision::Fp32, Precision::Bf16, Precision::Fp16})
          .when("train.device", {Device::Auto, Device::Cuda}).describe("autocast precision on CUDA (CPU always fp32)"),
      field("train", "blas_kernels", &E::train, &TrainConfig::blasKernels)
          .describe("auto: replace OpenBLAS's kernels when it fell back below what the CPU supports; openblas: keep "
                    "its choice. Read when foldbench-cli train starts (the window: Preferences)"),
      field("train", "layer_lr_decay", &E::train, &TrainConfig::layerLrDecay).bounds(0.1, 1.0).stepBy(0.05)
          .when("model.family", kPretrained)
          .describe("layer-wise learning-rate decay: the head learns at train.lr, each encoder layer below at this "
                    "factor times the one above, embeddings lowest; 1: off"),
      field("train", "checkpoint_precision", &E::train, &TrainConfig::checkpointPrecision)
          .among({Precision::Fp32, Precision::Fp16, Precision::Bf16})
          .when("model.family", kTokenModels)
          .describe("weights as validated and saved: fp16/bf16 halve a checkpoint, and the halved weights are the "
                    "ones scored (training keeps fp32; needs train.save_optimizer off)"),
      field("train", "save_optimizer", &E::train, &TrainConfig::saveOptimizer)
          .describe("keep optimizer state in checkpoints so training can resume (triples n-gram checkpoints)"),
      field("kfold", "enabled", &E::kfold, &KFoldConfig::enabled)
          .describe("stratified k-fold; off: one split by val_ratio"),
      field("kfold", "folds", &E::kfold, &KFoldConfig::folds).bounds(2, 100).when("kfold.enabled", {"true"})
          .describe("number of folds"),
      field("kfold", "fold", &E::kfold, &KFoldConfig::fold).bounds(-1, 99).when("kfold.enabled", {"true"})
          .describe("train only this fold (-1: all)"),
      field("kfold", "val_ratio", &E::kfold, &KFoldConfig::valRatio).bounds(0, 0.9).stepBy(0.05)
          .when("kfold.enabled", {"false"}).describe("validation share without k-fold (0: train on everything)"),
      field("kfold", "rare_labels", &E::kfold, &KFoldConfig::rareLabels)
          .describe("labels with fewer rows than folds"),
      field("kfold", "oversample_min_count", &E::kfold, &KFoldConfig::oversampleMinCount).bounds(0, 1000000)
          .stepBy(10).describe("raise each label to this many training rows (training part only)"),
      field("kfold", "oversample_min_fraction", &E::kfold, &KFoldConfig::oversampleMinFraction).bounds(0, 1)
          .stepBy(0.05).describe("... or to this share of the largest label"),
      field("run", "name", &E::run, &RunConfig::name).describe("run name shown in the tracker"),
      field("run", "output_dir", &E::run, &RunConfig::outputDir).folder()
          .mandatory("put the folder runs are written to there (relative: to the tracker database's folder)")
          .describe("where runs write checkpoints and summaries"),
  };
}

std::string describe(const json& v) {
  std::string s = v.dump();
  return s.size() > 40 ? s.substr(0, 37) + "..." : s;
}

json toJsonValue(const FieldValue& v) {
  return std::visit([](const auto& x) { return json(x); }, v);
}

// A JSON value as the field's type; empty optional with `why` set when it has another type.
std::optional<FieldValue> fromJsonValue(const FieldSpec& f, const json& v, std::string& why) {
  switch (f.type) {
    case FieldType::Bool:
      if (v.is_boolean()) return FieldValue(v.get<bool>());
      why = "expected true or false, got " + describe(v);
      return std::nullopt;
    case FieldType::Int: {
      const bool fits = v.is_number_integer() &&
                        !(v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX));
      if (fits) return FieldValue(v.get<std::int64_t>());
      why = "expected an integer, got " + describe(v);
      return std::nullopt;
    }
    case FieldType::Float:
      if (v.is_number()) return FieldValue(v.get<double>());
      why = "expected a number, got " + describe(v);
      return std::nullopt;
    default:
      if (v.is_string()) return FieldValue(v.get<std::string>());
      why = "expected a string, got " + describe(v);
      return std::nullopt;
  }
}

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

}  // namespace

const char* toString(FieldType type) {
  switch (type) {
    case FieldType::Bool: return "bool";
    case FieldType::Int: return "int";
    case FieldType::Float: return "float";
    case FieldType::Choice: return "choice";
    case FieldType::Text: return "string";
    case FieldType::Path: return "path";
  }
  return "string";
}

std::string FieldSpec::range() const {
  if (!choices.empty()) {
    std::string r;
    for (const auto& c : choices) r += (r.empty() ? "" : "|") + c;
    return r;
  }
  if (isNumber() && bounded()) return util::formatDouble(min) + ".." + util::formatDouble(max);
  return {};
}

const std::vector<FieldSpec>& fieldSpecs() {
  static const std::vector<FieldSpec> all = declare();
  return all;
}

const FieldSpec* findField(const std::string& key, const std::vector<FieldSpec>& specs) {
  for (const auto& f : specs)
    if (f.key() == key) return &f;
  return nullptr;
}

FieldValue getField(const ExperimentConfig& config, const std::string& key) {
  const auto* f = findField(key);
  if (!f) throw std::invalid_argument("unknown configuration field '" + key + "'");
  return f->get(config);
}

void setField(ExperimentConfig& config, const std::string& key, const FieldValue& value) {
  const auto* f = findField(key);
  if (!f) throw std::invalid_argument("unknown configuration field '" + key + "'");
  FieldValue v = value;
  if (f->type == FieldType::Float && std::holds_alternative<std::int64_t>(v))
    v = static_cast<double>(std::get<std::int64_t>(v));
  const bool fits = f->type == FieldType::Bool    ? std::holds_alternative<bool>(v)
                    : f->type == FieldType::Int   ? std::holds_alternative<std::int64_t>(v)
                    : f->type == FieldType::Float ? std::holds_alternative<double>(v)
                                                  : std::holds_alternative<std::string>(v);
  if (!fits) throw std::invalid_argument(key + ": a " + toString(f->type) + " field cannot take " + formatValue(value));
  f->set(config, v);
}

std::string formatValue(const FieldValue& value) {
  if (const auto* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  if (const auto* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&value)) return util::formatDouble(*d);
  return std::get<std::string>(value);
}

std::string checkValue(const FieldSpec& f, const FieldValue& v) {
  if (f.isNumber() && f.bounded()) {
    const double x = std::holds_alternative<double>(v) ? std::get<double>(v) : static_cast<double>(std::get<std::int64_t>(v));
    if (!std::isfinite(x) || x < f.min || x > f.max) return "must be within " + f.range() + ", got " + formatValue(v);
  }
  if (!f.choices.empty()) {
    const auto& s = std::get<std::string>(v);
    if (std::find(f.choices.begin(), f.choices.end(), s) == f.choices.end())
      return "must be one of " + f.range() + ", got " + quoted(s);
  }
  if (f.required && std::holds_alternative<std::string>(v) && std::get<std::string>(v).empty())
    return f.whenMissing.empty() ? "not set" : "not set: " + f.whenMissing;
  return {};
}

bool fieldApplies(const FieldSpec& spec, const ExperimentConfig& config, const std::vector<FieldSpec>& specs) {
  if (spec.appliesWhen.key.empty()) return true;
  const auto* other = findField(spec.appliesWhen.key, specs);
  if (!other) return true;
  const auto value = formatValue(other->get(config));
  const auto& values = spec.appliesWhen.values;
  return std::find(values.begin(), values.end(), value) != values.end();
}

std::vector<FieldProblem> validateFields(const ExperimentConfig& config, const std::vector<FieldSpec>& specs) {
  std::vector<FieldProblem> problems;
  for (const auto& f : specs) {
    if (!fieldApplies(f, config, specs)) continue;
    if (auto why = checkValue(f, f.get(config)); !why.empty()) problems.push_back({f.key(), why});
  }
  const auto& m = config.model;
  if (m.family == ModelFamily::Transformer && m.heads > 0 && m.hidden % m.heads != 0)
    problems.push_back({"model.hidden", std::to_string(m.hidden) + " is not divisible by model.heads " + std::to_string(m.heads)});
  if (config.kfold.enabled && config.kfold.fold >= config.kfold.folds)
    problems.push_back({"kfold.fold", std::to_string(config.kfold.fold) + " does not exist with " +
                                          std::to_string(config.kfold.folds) + " folds"});
  const auto& t = config.train;
  // A resumed run continues from the checkpoint's tables, so rounding them would change where it goes.
  if (m.family == ModelFamily::Ngram && m.ngramTablePrecision == Precision::Fp16 && t.saveOptimizer)
    problems.push_back({"model.ngram_table_precision",
                        "fp16 cannot resume training exactly: turn train.save_optimizer off, or keep fp32"});
  if (m.family != ModelFamily::Ngram && t.checkpointPrecision != Precision::Fp32 && t.saveOptimizer)
    problems.push_back({"train.checkpoint_precision",
                        std::string(nameOf(t.checkpointPrecision)) + " cannot resume training exactly: turn train.save_optimizer off, or keep fp32"});
  if ((t.scheduler == Scheduler::Cosine || t.scheduler == Scheduler::CosineRestarts) && t.minLr > t.learningRate)
    problems.push_back({"train.min_lr", "larger than train.lr"});
  return problems;
}

ConfigError::ConfigError(const std::string& source, std::vector<std::string> problems)
    : std::runtime_error([&] {
        std::string text = source + ": " + std::to_string(problems.size()) + " problem(s) in the configuration";
        for (const auto& p : problems) text += "\n  " + p;
        return text;
      }()),
      problems_(std::move(problems)) {}

std::vector<std::string> ExperimentConfig::validate() const {
  std::vector<std::string> out;
  for (const auto& p : validateFields(*this)) out.push_back(p.key + ": " + p.message);
  return out;
}

std::string toJson(const ExperimentConfig& config, bool withDocs) {
  ordered_json out = ordered_json::object();
  for (const auto& f : fieldSpecs()) {
    out[f.section][f.name] = toJsonValue(f.get(config));
    if (withDocs) out[f.section]["_doc_" + f.name] = f.doc + (f.range().empty() ? "" : " [" + f.range() + "]");
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
    for (const auto& f : fieldSpecs()) knownSection |= f.section == section;
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
      const auto* f = findField(section + "." + key);
      if (!f) {
        problems.push_back(section + "." + key + ": unknown key");
        continue;
      }
      std::string why;
      const auto v = fromJsonValue(*f, value, why);
      if (v) why = checkValue(*f, *v);
      // An empty required field is judged below with the whole config (train_path may stay empty).
      if (v && f->required && std::holds_alternative<std::string>(*v) && std::get<std::string>(*v).empty()) why.clear();
      if (!why.empty()) {
        problems.push_back(f->key() + ": " + why);
        continue;
      }
      f->set(config, *v);
    }
  }
  // A file without a training file is complete: --train or the window's field may give it.
  if (problems.empty())
    for (const auto& p : validateFields(config))
      if (!(p.key == "data.train_path" && config.data.trainPath.empty())) problems.push_back(p.key + ": " + p.message);
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
  // Checked writes to a temporary beside it, renamed over it: a failed save leaves no half file.
  platform::writeFileAtomically(path, toJson(config) + "\n");
}

std::vector<std::string> presetNames() {
  return {"sample", "klue-re-scratch", "klue-re-best", "klue-re-mbert", "klue-re-roberta-large"};
}

void resolveBundledSamplePaths(ExperimentConfig& c, const std::string& bundledSampleDir) {
  if (bundledSampleDir.empty()) return;
  const std::string prefix = "resources/sample/";
  for (std::string* path : {&c.data.trainPath, &c.data.testPath, &c.data.labelsPath}) {
    if (path->rfind(prefix, 0) != 0 || std::filesystem::exists(*path)) continue;
    const auto bundled = std::filesystem::path(bundledSampleDir) / path->substr(prefix.size());
    if (std::filesystem::exists(bundled)) *path = bundled.string();
  }
}

ExperimentConfig preset(const std::string& name) {
  ExperimentConfig c;
  if (name == "sample") {
    // The bundled sample data: a small transformer that finishes in a few minutes on 2 cores.
    c.data.trainPath = "resources/sample/train.tsv";
    c.data.testPath = "resources/sample/test.tsv";
    c.data.labelsPath = "resources/sample/labels.tsv";
    c.tokenizer.vocabSize = 1000;
    c.input.format = text::InputFormat::EntityMarkers;
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
    // Best from-scratch recipe found for the competition data (see docs/RESULTS.md). The data
    // paths are the user's to set (the competition's train.tsv, test.tsv and labels.tsv): training
    // refuses a config without data.train_path, naming the field.
    c.model.family = ModelFamily::Ngram;
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
  if (name == "klue-re-best") {
    // The best holdout accuracy measured (docs/RESULTS.md): klue-re-scratch with the context part.
    c = preset("klue-re-scratch");
    c.model.ngramContext = true;
    c.model.ngramTablePrecision = Precision::Fp16;  // 83 instead of 162 MB per fold, the same predictions
    c.run.name = "klue-re-best";
    return c;
  }
  if (name == "klue-re-mbert") {
    // The write-up's recipe: bert-base-multilingual-cased fine-tuned on "subject [SEP] object" +
    // sentence through its [CLS] pooler, 5 folds with minority oversampling, label smoothing 0.1,
    // lr 5e-5, the best epoch by accuracy. The model folder and data paths are the user's to set.
    c.model.family = ModelFamily::Pretrained;
    c.model.pooling = Pooling::Cls;
    c.input.format = text::InputFormat::EntityPair;
    c.input.maxLen = 128;
    c.kfold.folds = 5;
    c.kfold.oversampleMinCount = 50;
    c.train.epochs = 5;
    c.train.batchSize = 32;
    c.train.learningRate = 5e-5;
    c.train.minLr = 0.0;
    c.train.scheduler = Scheduler::Linear;
    c.train.warmupRatio = 0.1;
    c.train.labelSmoothing = 0.1;
    c.train.bestMetric = BestMetric::Accuracy;
    c.train.checkpointPrecision = Precision::Fp16;  // 5 x 356 MB instead of 5 x 711 MB, the scored weights
    c.train.saveOptimizer = false;
    c.run.name = "klue-re-mbert";
    return c;
  }
  if (name == "klue-re-roberta-large") {
    // The top of the board's kind of model: klue/roberta-large (or xlm-roberta-large) with typed
    // entity markers in punctuation, which need no new tokens, pooled from both entity starts.
    c = preset("klue-re-mbert");
    c.model.pooling = Pooling::Entity;
    c.input.format = text::InputFormat::PunctMarkers;
    c.input.maxLen = 160;
    c.train.learningRate = 1e-5;
    c.train.batchSize = 16;
    c.train.gradAccumulation = 2;
    c.train.layerLrDecay = 0.95;
    c.run.name = "klue-re-roberta-large";
    return c;
  }
  std::string names;
  for (const auto& n : presetNames()) names += (names.empty() ? "" : ", ") + n;
  throw std::invalid_argument("unknown preset '" + name + "' (" + names + ")");
}

std::vector<FieldDoc> fieldDocs() {
  std::vector<FieldDoc> docs;
  const ExperimentConfig defaults;
  for (const auto& f : fieldSpecs())
    docs.push_back({f.key(), toString(f.type), toJsonValue(f.get(defaults)).dump(), f.range(), f.doc});
  return docs;
}

}  // namespace foldbench::config
