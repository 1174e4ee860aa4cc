#include "foldbench/kfold/kfold_runner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <functional>
#include <fstream>
#include <locale>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "foldbench/data/folds.h"
#include "foldbench/platform/atomic_file.h"
#include "foldbench/data/readers.h"
#include "foldbench/pretrained/encoder_config.h"
#include "foldbench/pretrained/model_folder.h"
#include "foldbench/pretrained/pretrained_token_source.h"
#include "foldbench/pretrained/pretrained_tokenizer.h"
#include "foldbench/text/hash.h"
#include "foldbench/text/input_encoder.h"
#include "foldbench/text/tokenizer.h"
#include "foldbench/train/metrics.h"
#include "foldbench/train/schedule.h"
#include "foldbench/util/numbers.h"
#include "data_fingerprint.h"
#include "fold_plan.h"

namespace foldbench::kfold {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

CvStat cvStat(std::vector<double> values) {
  CvStat s;
  s.values = std::move(values);
  if (s.values.empty()) return s;
  for (double v : s.values) s.mean += v;
  s.mean /= static_cast<double>(s.values.size());
  for (double v : s.values) s.stddev += (v - s.mean) * (v - s.mean);
  s.stddev = std::sqrt(s.stddev / static_cast<double>(s.values.size()));
  return s;
}

std::string newRunId() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
  std::random_device rd;
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "%04x", rd() & 0xffffu);
  return std::string(stamp) + "-" + suffix;
}

namespace {

constexpr std::size_t kEncodeChunk = 512;

void throwIfCancelled(const std::atomic<bool>* cancel) {
  if (cancel && cancel->load()) throw RunCancelled();
}

// Calls encode(row) for every row in chunks, reporting progress and checking `cancel` between chunks.
template <typename Encode>
void encodeInChunks(std::size_t rows, train::TrainingObserver* observer, const std::atomic<bool>* cancel, Encode&& encode) {
  for (std::size_t start = 0; start < rows; start += kEncodeChunk) {
    throwIfCancelled(cancel);
    const std::size_t end = std::min(rows, start + kEncodeChunk);
    for (std::size_t i = start; i < end; ++i) encode(i);
    if (observer) observer->onPhase({train::RunPhase::Encoding, end, rows});
  }
}

}  // namespace

std::string runTokenizerPath(const config::ExperimentConfig& c, const std::string& runDir) {
  switch (c.model.family) {
    case config::ModelFamily::Ngram: return "";
    case config::ModelFamily::Pretrained: return runDir + "/pretrained";
    case config::ModelFamily::Transformer: break;
  }
  return runDir + "/tokenizer.model";
}

void copyPretrainedTokenizer(const std::string& modelFolder, const std::string& into) {
  fs::create_directories(into);
  for (const char* name : {"config.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
                           "vocab.txt", "sentencepiece.bpe.model", "tokenizer.json"}) {
    const auto from = fs::path(modelFolder) / name;
    if (fs::exists(from)) fs::copy_file(from, fs::path(into) / name, fs::copy_options::overwrite_existing);
  }
}

RunCancelled::RunCancelled() : std::runtime_error("the run was stopped before training began") {}

train::TrainingData encodeForRun(const config::ExperimentConfig& c, const std::vector<data::Example>& rows,
                                 const data::LabelMap& labels, const std::string& tokenizerPath,
                                 train::TrainingObserver* observer, const std::atomic<bool>* cancel) {
  train::TrainingData d;
  d.numLabels = labels.size();
  d.noRelationId = labels.idOf(c.data.noRelationLabel).value_or(-1);
  d.maxLen = c.input.maxLen;
  for (const auto& r : rows) d.labels.push_back(r.labelId);
  if (c.model.family == config::ModelFamily::Ngram) {
    const model::NgramOptions options{c.model.ngramBucketsLog2, c.model.charNgramMax, c.model.wordNgramMax,
                                      c.model.ngramContext};
    d.ngrams.resize(rows.size());
    encodeInChunks(rows.size(), observer, cancel, [&](std::size_t i) { d.ngrams[i] = model::ngramFeatures(rows[i], options); });
    return d;
  }
  if (c.model.family == config::ModelFamily::Pretrained) {
    // The model's own tokenizer; marker tokens (markers and typed formats) take ids after its
    // vocabulary, and the classifier adds their embedding rows.
    const auto encoderConfig = pretrained::readEncoderConfig(tokenizerPath + "/config.json");
    const auto tokenizer = pretrained::openPretrainedTokenizer(tokenizerPath);
    if (tokenizer->vocabSize() > encoderConfig.vocabSize)
      throw std::runtime_error(tokenizerPath + ": the tokenizer has " + std::to_string(tokenizer->vocabSize()) +
                               " ids but config.json's vocab_size is " + std::to_string(encoderConfig.vocabSize));
    const auto longest = pretrained::maxTokens(encoderConfig);
    if (c.input.maxLen > longest)
      throw config::ConfigError("config", {"input.max_len: " + std::to_string(c.input.maxLen) +
                                           " is more than the model takes (" + std::to_string(longest) + " tokens)"});
    const int added = pretrained::addedMarkerCount(c.input.format);
    text::Fnv1a fingerprint;
    for (const auto& entry : fs::directory_iterator(tokenizerPath))
      if (entry.is_regular_file()) fingerprint.add(entry.path().filename().string()).add(static_cast<std::int64_t>(text::hashFile(entry.path().string())));
    const auto source = pretrained::makeTokenSource(*tokenizer, encoderConfig.vocabSize, added > 0, fingerprint.value());
    d.vocabSize = static_cast<int>(encoderConfig.vocabSize) + added;
    const text::InputEncoder encoder(*source, {c.input.format, c.input.maxLen});
    d.encoded.resize(rows.size());
    encodeInChunks(rows.size(), observer, cancel, [&](std::size_t i) { d.encoded[i] = encoder.encode(rows[i]); });
    return d;
  }
  const auto tokenizer = text::Tokenizer::load(tokenizerPath);
  d.vocabSize = tokenizer.vocabSize();
  const text::InputEncoder encoder(tokenizer, {c.input.format, c.input.maxLen});
  d.encoded.resize(rows.size());
  encodeInChunks(rows.size(), observer, cancel, [&](std::size_t i) { d.encoded[i] = encoder.encode(rows[i]); });
  return d;
}

PreparedRun prepareRun(const config::ExperimentConfig& config, train::TrainingObserver& observer,
                       const std::atomic<bool>* cancel) {
  if (auto problems = config.validate(); !problems.empty()) throw config::ConfigError("config", problems);
  PreparedRun p;
  p.config = config;
  p.runId = newRunId();

  // The data is read and checked before the run directory exists: a bad file leaves nothing behind.
  observer.onPhase({train::RunPhase::Loading, 0, 0});
  const data::ReadOptions options = readOptionsFor(config);
  if (!config.data.labelsPath.empty()) p.labels = data::LabelMap::readFile(config.data.labelsPath);
  const auto dataset = data::loadDataset(config.data.trainPath, config.data.format, p.labels,
                                         options, p.report);
  observer.onMessage("loaded " + std::to_string(dataset.rows.size()) + " rows, " + std::to_string(p.labels.size()) +
                     " labels, " + std::to_string(p.report.repairs.size()) + " offsets repaired, " +
                     std::to_string(p.report.skippedLines.size()) + " rows skipped");
  for (const auto& r : dataset.rows) p.rowIds.push_back(r.id);
  const auto& tokenizerModel = config.tokenizer.modelPath;
  if (config.model.family == config::ModelFamily::Transformer && !tokenizerModel.empty() &&
      !fs::is_regular_file(tokenizerModel))
    throw config::ConfigError("config", {"tokenizer.model_path: " + tokenizerModel + " does not exist"});
  if (config.model.family == config::ModelFamily::Pretrained) {
    if (config.model.pretrainedPath.empty())
      throw config::ConfigError("config", {"model.pretrained_path is not set: choose a Hugging Face model folder "
                                           "(config.json, model.safetensors and the tokenizer files; docs/GUIDE.md, "
                                           "'Using a pretrained model')"});
    // The whole folder is checked (names, dtypes, shapes, tokenizer) before any run folder exists.
    const auto folder = pretrained::openModelFolder(config.model.pretrainedPath);
    const auto tokenizer = pretrained::openPretrainedTokenizer(config.model.pretrainedPath);
    observer.onMessage("pretrained " + std::string(pretrained::modelTypeName(folder.config.modelType)) + ": " +
                       std::to_string(folder.config.numHiddenLayers) + " layers x " +
                       std::to_string(folder.config.hiddenSize) + ", " + tokenizer->kind());
  }
  throwIfCancelled(cancel);

  p.runDir = (fs::path(config.run.outputDir) / p.runId).string();
  fs::create_directories(p.runDir);
  try {
    config::saveConfig(config, p.runDir + "/config.json");
    p.labels.writeFile(p.runDir + "/labels.tsv");
    writeDataFingerprint(p.runDir, config.data.trainPath);
    if (config.model.family == config::ModelFamily::Pretrained) {
      p.tokenizerPath = runTokenizerPath(config, p.runDir);
      copyPretrainedTokenizer(config.model.pretrainedPath, p.tokenizerPath);
    } else if (config.model.family != config::ModelFamily::Ngram) {
      p.tokenizerPath = p.runDir + "/tokenizer.model";
      if (!config.tokenizer.modelPath.empty()) {
        fs::copy_file(config.tokenizer.modelPath, p.tokenizerPath);
      } else {
        observer.onPhase({train::RunPhase::Tokenizer, 0, 0});
        observer.onMessage("training a " + std::string(nameOf(config.tokenizer.type)) + " tokenizer (" +
                           std::to_string(config.tokenizer.vocabSize) + " pieces)");
        std::vector<std::string> sentences;
        for (const auto& r : dataset.rows) sentences.push_back(r.sentence);
        text::TokenizerTrainOptions t;
        t.modelType = nameOf(config.tokenizer.type);
        t.vocabSize = config.tokenizer.vocabSize;
        t.characterCoverage = config.tokenizer.characterCoverage;
        try {
          text::Tokenizer::train(sentences, t, p.runDir + "/tokenizer", cancel);
        } catch (const text::TokenizerTrainingCancelled&) {
          throw RunCancelled();
        }
      }
      throwIfCancelled(cancel);
    }
    const auto started = Clock::now();
    p.data = encodeForRun(config, dataset.rows, p.labels, p.tokenizerPath, &observer, cancel);
    std::size_t truncated = 0;
    for (const auto& e : p.data.encoded) truncated += e.truncated;
    observer.onMessage("encoded inputs in " + util::formatFixed(std::chrono::duration<double>(Clock::now() - started).count(), 2) +
                       " s" + (p.data.encoded.empty() ? "" : ", " + std::to_string(truncated) + " truncated to max_len"));
  } catch (...) {
    // The directory was made a moment ago under a fresh id: nothing but this run's files is in it.
    std::error_code ignored;
    fs::remove_all(p.runDir, ignored);
    throw;
  }
  return p;
}

data::ReadOptions readOptionsFor(const config::ExperimentConfig& c) {
  data::ReadOptions options;
  options.policy = c.data.badRows;
  options.repairWindow = c.data.repairWindow;
  return options;
}

std::vector<FoldPlan> planFolds(const config::ExperimentConfig& c, const std::vector<int>& labels) {
  std::vector<FoldPlan> plans;
  if (c.kfold.enabled) {
    data::FoldOptions options;
    options.folds = c.kfold.folds;
    options.seed = c.train.seed;
    options.rareLabels = c.kfold.rareLabels;
    const auto splits = data::stratifiedKFold(labels, options);
    for (int f = 0; f < static_cast<int>(splits.size()); ++f)
      if (c.kfold.fold < 0 || c.kfold.fold == f)
        plans.push_back({f, splits[static_cast<std::size_t>(f)].train, splits[static_cast<std::size_t>(f)].validation});
  } else if (c.kfold.valRatio > 0.0) {
    const auto split = data::stratifiedSplit(labels, c.kfold.valRatio, c.train.seed);
    plans.push_back({0, split.train, split.validation});
  } else {
    plans.push_back({0, data::allForTraining(labels.size()).train, {}});
  }
  data::OversampleOptions oversample{c.kfold.oversampleMinCount, c.kfold.oversampleMinFraction};
  for (auto& plan : plans) plan.train = data::oversample(plan.train, labels, oversample, c.train.seed + static_cast<std::uint64_t>(plan.fold));
  return plans;
}

train::RunStartEvent runStartEvent(const PreparedRun& p, const config::ExperimentConfig& c,
                                   const std::vector<FoldPlan>& plans, const train::DeviceInfo& device) {
  train::RunStartEvent start;
  start.runId = p.runId;
  start.runDir = p.runDir;
  start.folds = static_cast<int>(plans.size());
  const auto& t = c.train;
  for (const auto& plan : plans)
    start.totalSteps += train::optimizerStepsPerEpoch(plan.train.size(), t.batchSize, t.gradAccumulation) * t.epochs;
  start.rows = p.data.size();
  start.labels = p.labels.size();
  start.device = device.device;
  start.threads = device.threads;
  return start;
}

void summarizeFolds(const PreparedRun& p, RunResult& r) {
  std::vector<double> trainAcc, valAcc, valF1, valLoss;
  for (const auto& f : r.folds) {
    if (f.bestEpoch == 0) continue;
    trainAcc.push_back(f.bestTrainAccuracy);
    if (!f.validationRows.empty()) {
      valAcc.push_back(f.best.accuracy);
      valF1.push_back(f.best.microF1);
      valLoss.push_back(f.best.loss);
    }
  }
  r.trainAccuracy = cvStat(trainAcc);
  r.validationAccuracy = cvStat(valAcc);
  r.validationMicroF1 = cvStat(valF1);
  r.validationLoss = cvStat(valLoss);
  std::vector<int> predicted, gold;
  for (std::size_t i = 0; i < r.outOfFold.size(); ++i)
    if (!r.outOfFold[i].empty()) {
      predicted.push_back(train::argmaxRows({r.outOfFold[i]})[0]);
      gold.push_back(p.data.labels[i]);
    }
  r.outOfFoldAccuracy = gold.empty() ? 0.0 : train::accuracy(predicted, gold);
}

namespace {

// Once the first fold's checkpoint shows what one weighs, says so when the disk holding the run
// has less room than the folds still to train need (their checkpoints, and the out-of-fold and
// summary files), instead of letting the user meet a full disk hours later.
void warnWhenTheDiskLooksShort(const PreparedRun& p, std::size_t foldsLeft, const std::string& checkpoint,
                               train::TrainingObserver& observer) {
  std::error_code ec;
  const auto checkpointBytes = static_cast<std::int64_t>(fs::file_size(checkpoint, ec));
  if (ec) return;
  // A row of oof.tsv: the id, the labels and about 12 characters per class probability.
  const auto outOfFoldBytes = static_cast<std::int64_t>(p.data.size()) * (32 + 12 * static_cast<std::int64_t>(p.labels.size()));
  const auto needed = checkpointBytes * static_cast<std::int64_t>(foldsLeft) + 2 * outOfFoldBytes;
  const auto free = platform::freeBytes(p.runDir);
  if (free < 0 || free >= needed) return;
  const auto mb = platform::formatMegabytes;
  observer.onMessage("warning: " + p.runDir + " has " + mb(free) + " free, and the " + std::to_string(foldsLeft) +
                     " folds still to train need about " + mb(needed) + " (" + mb(checkpointBytes) +
                     " per checkpoint): free space, or the run will fail when the disk is full");
}

}  // namespace

namespace {
std::vector<FoldPlan> inRaceOrder(std::vector<FoldPlan> plans, const FoldRace* race) {
  if (!race || race->order.empty()) return plans;
  std::vector<FoldPlan> ordered;
  for (int fold : race->order)
    for (auto& plan : plans)
      if (plan.fold == fold) ordered.push_back(std::move(plan));
  return ordered;
}
}  // namespace

RunResult runFolds(const PreparedRun& p, train::TrainingObserver& observer, const std::atomic<bool>& cancel,
                   const FoldRace* race) {
  RunResult result;
  result.runId = p.runId;
  result.runDir = p.runDir;
  result.status = RunStatus::Finished;
  const auto started = Clock::now();
  result.outOfFold.assign(p.data.size(), {});
  try {
    result.device = train::configureDevice(p.config.train);
    const auto plans = inRaceOrder(planFolds(p.config, p.data.labels), race);
    observer.onRunStart(runStartEvent(p, p.config, plans, result.device));
    observer.onPhase({train::RunPhase::Training, 0, plans.size()});
    for (const auto& plan : plans) {
      if (cancel.load()) {
        result.status = RunStatus::Stopped;
        break;
      }
      const std::string checkpoint = foldCheckpointPath(p.runDir, plan.fold);
      train::FoldTrainer trainer(p.config, p.data, plan.fold, checkpoint);
      auto fold = trainer.train(plan.train, plan.validation, observer, cancel);
      for (std::size_t i = 0; i < fold.validationProbabilities.size(); ++i)
        result.outOfFold[static_cast<std::size_t>(fold.validationRows[i])] = fold.validationProbabilities[i];
      if (fold.status == train::FoldStatus::Failed) {
        result.status = RunStatus::Failed;
        result.error = "fold " + std::to_string(plan.fold) + ": " + fold.error;
      } else if (fold.status == train::FoldStatus::Stopped) {
        result.status = RunStatus::Stopped;
      }
      result.folds.push_back(std::move(fold));
      if (result.status != RunStatus::Finished) break;
      if (race && race->judge && &plan != &plans.back()) {
        if (auto reason = race->judge(result.folds); !reason.empty()) {
          result.status = RunStatus::Pruned;
          result.error = std::move(reason);
          break;
        }
      }
      if (&plan == &plans.front()) warnWhenTheDiskLooksShort(p, plans.size() - 1, checkpoint, observer);
    }
  } catch (const std::exception& e) {
    result.status = RunStatus::Failed;
    result.error = e.what();
  }
  summarizeFolds(p, result);
  result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  observer.onRunEnd({result.status, result.error, result.seconds});
  return result;
}

void writeRunFiles(const PreparedRun& p, const RunResult& r) {
  using nlohmann::ordered_json;
  const auto stat = [](const CvStat& s) { return ordered_json{{"list", s.values}, {"mean", s.mean}, {"std", s.stddev}}; };
  ordered_json folds = ordered_json::array();
  for (const auto& f : r.folds) {
    ordered_json epochs = ordered_json::array();
    for (const auto& e : f.epochs)
      epochs.push_back({{"epoch", e.epoch}, {"step", e.step}, {"train_loss", e.trainLoss}, {"train_acc", e.trainAccuracy},
                        {"val_loss", e.validation.loss}, {"val_acc", e.validation.accuracy},
                        {"val_micro_f1", e.validation.microF1}, {"lr", e.learningRate}, {"seconds", e.seconds}});
    folds.push_back({{"fold", f.fold}, {"status", train::toString(f.status)}, {"error", f.error},
                     {"best_epoch", f.bestEpoch}, {"train_acc", f.bestTrainAccuracy}, {"val_acc", f.best.accuracy},
                     {"val_micro_f1", f.best.microF1}, {"val_loss", f.best.loss},
                     {"checkpoint", fs::relative(f.checkpointPath, p.runDir).string()}, {"steps", f.steps},
                     {"seconds", f.seconds}, {"examples_per_second", f.examplesPerSecond},
                     {"train_rows", f.trainRows}, {"validation_rows", f.validationRows.size()}, {"epochs", epochs}});
  }
  const ordered_json summary = {
      {"run_id", r.runId},
      {"name", p.config.run.name},
      {"status", nameOf(r.status)},
      {"error", r.error},
      {"device", r.device.device},
      {"threads", r.device.threads},
      {"precision", nameOf(r.device.precision)},
      {"seconds", r.seconds},
      {"rows", p.data.size()},
      {"labels", p.labels.size()},
      {"repairs", p.report.repairs.size()},
      {"cv", {{"train_acc", stat(r.trainAccuracy)}, {"val_acc", stat(r.validationAccuracy)},
              {"val_micro_f1", stat(r.validationMicroF1)}, {"val_loss", stat(r.validationLoss)},
              {"oof_acc", r.outOfFoldAccuracy}}},
      {"folds", folds},
      {"files", {{"config", "config.json"}, {"labels", "labels.tsv"}, {"tokenizer", p.tokenizerPath.empty() ? "" : fs::path(p.tokenizerPath).filename().string()},
                 {"oof", "oof.tsv"}}}};
  std::vector<int> foldOf(p.data.size(), -1);
  for (const auto& f : r.folds)
    for (int row : f.validationRows) foldOf[static_cast<std::size_t>(row)] = f.fold;
  // oof.tsv first: a summary.json on disk promises the run's other files.
  platform::writeFileAtomically(p.runDir + "/oof.tsv", [&](std::ostream& oof) {
    oof << "id\tlabel\tfold";
    for (const auto& name : p.labels.names()) oof << '\t' << name;
    oof << '\n';
    for (std::size_t i = 0; i < p.data.size(); ++i) {
      if (r.outOfFold[i].empty()) continue;
      oof << p.rowIds[i] << '\t' << p.data.labels[i] << '\t' << foldOf[i];
      for (float v : r.outOfFold[i]) oof << '\t' << util::formatFloat(v);  // reads back exactly
      oof << '\n';
    }
  });
  platform::writeFileAtomically(p.runDir + "/summary.json", [&](std::ostream& out) { out << summary.dump(2) << '\n'; });
}

}  // namespace foldbench::kfold
