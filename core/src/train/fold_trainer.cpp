#include "foldbench/train/fold_trainer.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>

#include <malloc.h>

#include <chrono>
#include <cmath>
#include <mutex>
#include <thread>

#include "batch_builder.h"
#include "checkpoint.h"
#include "compact_tables.h"
#include "rounded_weights.h"

#include <torch/version.h>
#include "foldbench/train/batching.h"
#include "foldbench/train/schedule.h"
#include "losses.h"
#include "optimizer.h"

namespace foldbench::train {

using Clock = std::chrono::steady_clock;

const char* toString(FoldStatus status) { return nameOf(status); }

const char* toString(RunPhase phase) {
  switch (phase) {
    case RunPhase::Loading: return "loading";
    case RunPhase::Tokenizer: return "tokenizer";
    case RunPhase::Encoding: return "encoding";
    case RunPhase::Training: return "training";
    case RunPhase::Writing: return "writing";
  }
  return "training";
}

namespace {

// Training allocates and frees the same large activation buffers every step. glibc serves
// blocks above 128 KiB with mmap and returns them at once, so every step page-faults its
// activations in again (about a tenth of a training step in the profile). Keeping freed
// memory in the heap avoids that.
void keepFreedMemoryForReuse() {
  static const bool once = [] {
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 512 * 1024 * 1024);
    mallopt(M_TOP_PAD, 64 * 1024 * 1024);
    return true;
  }();
  (void)once;
}

}  // namespace

DeviceInfo configureDevice(const config::TrainConfig& c) {
  keepFreedMemoryForReuse();
  DeviceInfo info;
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  info.threads = c.threads > 0 ? c.threads : static_cast<int>(cores);
  at::set_num_threads(info.threads);
  const bool cuda = c.device == config::Device::Cuda || (c.device == config::Device::Auto && torch::cuda::is_available());
  if (c.device == config::Device::Cuda && !torch::cuda::is_available())
    throw std::runtime_error("train.device is cuda but no CUDA device is available");
  info.device = cuda ? "cuda:0" : "cpu";
  info.precision = cuda ? c.precision : config::Precision::Fp32;
  return info;
}

namespace {

// Higher is better for every metric, so loss is negated.
double score(const EvalMetrics& m, config::BestMetric metric) {
  switch (metric) {
    case config::BestMetric::MicroF1: return m.microF1;
    case config::BestMetric::Loss: return -m.loss;
    case config::BestMetric::Accuracy: break;
  }
  return m.accuracy;
}

// Runs forward passes under autocast on CUDA when asked.
class AutocastScope {
 public:
  AutocastScope(bool enabled, config::Precision precision) : enabled_(enabled) {
    if (!enabled_) return;
    const auto dtype = precision == config::Precision::Fp16 ? at::kHalf : at::kBFloat16;
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    // LibTorch 2.4 made autocast per device; the CUDA-only calls warn on every call there.
    at::autocast::set_autocast_dtype(at::kCUDA, dtype);
    at::autocast::set_autocast_enabled(at::kCUDA, true);
#else
    at::autocast::set_autocast_gpu_dtype(dtype);
    at::autocast::set_enabled(true);
#endif
  }
  ~AutocastScope() {
    if (!enabled_) return;
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
    at::autocast::set_autocast_enabled(at::kCUDA, false);
#else
    at::autocast::set_enabled(false);
#endif
    at::autocast::clear_cache();
  }

 private:
  bool enabled_;
};

// Forward passes over `rows` in length-sorted batches, calling visit(rows, batch, float logits).
// Returns false when `cancel` was raised before every batch ran (checked between batches).
template <typename Visit>
bool forwardInBatches(model::ClassifierModule& model, const BatchBuilder& builder, const std::vector<int>& rows,
                      const std::vector<int>& lengths, int batchSize, bool autocast, config::Precision precision,
                      Visit&& visit, const std::atomic<bool>* cancel = nullptr) {
  for (const auto& batchRows : evaluationBatches(rows, lengths, batchSize)) {
    if (cancel && cancel->load(std::memory_order_relaxed)) return false;
    const auto batch = builder.build(batchRows);
    torch::Tensor logits;
    {
      AutocastScope scope(autocast, precision);
      logits = model.forward(batch).to(torch::kFloat);
    }
    visit(batchRows, batch, logits);
  }
  return true;
}

// Softmax of [B, C] logits as one vector per row, on the CPU.
std::vector<std::vector<float>> probabilityRows(const torch::Tensor& logits) {
  const auto probs = torch::softmax(logits, 1).to(torch::kCPU).contiguous();
  const auto* p = probs.data_ptr<float>();
  const auto classes = static_cast<std::size_t>(probs.size(1));
  std::vector<std::vector<float>> rows(static_cast<std::size_t>(probs.size(0)));
  for (std::size_t b = 0; b < rows.size(); ++b) rows[b].assign(p + b * classes, p + (b + 1) * classes);
  return rows;
}

struct Evaluation {
  EvalMetrics metrics;
  std::vector<std::vector<float>> probabilities;  // in the order of the rows evaluated
  bool complete = true;
};

}  // namespace

struct FoldTrainer::Impl {
  config::ExperimentConfig config;
  const TrainingData& data;
  int fold;
  std::string checkpointPath;
  DeviceInfo deviceInfo;
  torch::Device device{torch::kCPU};
  std::shared_ptr<model::ClassifierModule> model;
  std::unique_ptr<TrainingOptimizer> optimizer;
  std::unique_ptr<BatchBuilder> builder;
  std::vector<int> lengths;
  LossSpec loss;

  Impl(const config::ExperimentConfig& c, const TrainingData& d, int f, std::string path)
      : config(c), data(d), fold(f), checkpointPath(std::move(path)) {}

  bool halfTables() const {
    return config.model.family == config::ModelFamily::Ngram && config.model.ngramTablePrecision == config::Precision::Fp16;
  }
  // Null unless the tables are kept in fp16: then validation and saving see them rounded.
  std::unique_ptr<HalfRoundedTables> roundTablesForCheckpoint() {
    if (!halfTables()) return nullptr;
    return std::make_unique<HalfRoundedTables>(model->sparseParameters(), optimizer->touchedRows());
  }

  // fp16 or bf16 when dense weights are validated and saved halved (train.checkpoint_precision).
  config::Precision weightPrecision() const {
    return config.model.family == config::ModelFamily::Ngram ? config::Precision::Fp32 : config.train.checkpointPrecision;
  }
  // Null unless weights are saved halved: then validation and saving see them rounded.
  std::unique_ptr<RoundedWeights> roundWeightsForCheckpoint() {
    const auto precision = weightPrecision();
    if (precision == config::Precision::Fp32) return nullptr;
    return std::make_unique<RoundedWeights>(*model, precision == config::Precision::Fp16 ? torch::kHalf : torch::kBFloat16);
  }

  bool useAutocast() const { return device.is_cuda() && deviceInfo.precision != config::Precision::Fp32; }
  // fp16 needs its loss scaled (bf16 has fp32's range).
  bool scaleLoss() const { return useAutocast() && deviceInfo.precision == config::Precision::Fp16; }
  LossScale lossScale;

  void build(const std::vector<int>& trainRows) {
    deviceInfo = configureDevice(config.train);
    device = torch::Device(deviceInfo.device);
    torch::manual_seed(config.train.seed + static_cast<std::uint64_t>(fold));
    model = model::makeClassifier(config.model, data.vocabSize, data.numLabels, data.maxLen);
    model->to(device);
    optimizer = std::make_unique<TrainingOptimizer>(*model, model->sparseParameters(), config.train.weightDecay,
                                                    model->learningRateScales(config.train.layerLrDecay));
    const bool ngram = config.model.family == config::ModelFamily::Ngram;
    builder = std::make_unique<BatchBuilder>(data, ngram, config.train.padding == config::Padding::Fixed && !ngram, device);
    lengths = data.lengths();
    loss.kind = config.train.loss;
    loss.labelSmoothing = config.train.labelSmoothing;
    loss.focalGamma = config.train.focalGamma;
    if (loss.kind == config::LossKind::WeightedCrossEntropy) {
      std::vector<int> trainLabels;
      for (int r : trainRows) trainLabels.push_back(data.labels[static_cast<std::size_t>(r)]);
      loss.classWeights = inverseFrequencyWeights(trainLabels, data.numLabels).to(device);
    }
  }

  // One run's state: what the named steps below share, and what a checkpoint records so that
  // resuming continues where training was (a mid-epoch checkpoint included).
  struct Progress {
    int epochsDone = 0;
    int batchesDone = 0;  // of the epoch in progress
    long step = 0;
    double bestScore = -std::numeric_limits<double>::infinity();
    bool bestKept = false;  // the checkpoint file holds the best weights (written here or resumed)
    int evaluationsWithoutImprovement = 0;
    EpochTotals epoch;      // the epoch in progress so far
    double examplesSeen = 0.0, trainSeconds = 0.0;
  };
  const std::vector<int>* validationRows = nullptr;
  const std::atomic<bool>* cancel = nullptr;
  TrainingObserver* observer = nullptr;
  FoldResult result;
  Progress progress;
  ScheduleSpec schedule;
  torch::Tensor resumeGenerator;  // the CPU generator at a mid-epoch checkpoint

  void save(int bestEpoch) {
    CheckpointState s;
    s.epoch = progress.epochsDone;
    s.batchesDone = progress.batchesDone;
    s.step = progress.step;
    s.bestEpoch = bestEpoch;
    s.bestScore = bestEpoch > 0 && std::isfinite(progress.bestScore) ? progress.bestScore : 0.0;
    s.bestTrainAccuracy = result.bestTrainAccuracy;
    s.evaluationsWithoutImprovement = progress.evaluationsWithoutImprovement;
    s.epochTotals = progress.epoch;
    s.numLabels = data.numLabels;
    s.vocabSize = data.vocabSize;
    s.maxLen = data.maxLen;
    s.configJson = config::toJson(config);
    s.halfTables = halfTables();
    s.weightPrecision = weightPrecision();
    saveCheckpoint(checkpointPath, *model, config.train.saveOptimizer ? optimizer.get() : nullptr, s, optimizer.get());
    if (bestEpoch > 0) progress.bestKept = true;
  }

  // Metrics and probabilities over `rows`; `complete` is false when `cancel` cut it short.
  Evaluation evaluate(const std::vector<int>& rows, const std::atomic<bool>* cancel = nullptr) {
    Evaluation out;
    if (rows.empty()) return out;
    torch::NoGradGuard noGrad;
    model->eval();
    out.probabilities.resize(rows.size());
    std::unordered_map<int, std::size_t> position;
    for (std::size_t i = 0; i < rows.size(); ++i) position[rows[i]] = i;
    double lossSum = 0.0;
    std::vector<int> predicted(rows.size()), gold(rows.size());
    out.complete = forwardInBatches(*model, *builder, rows, lengths, evaluationBatchSize(config.train), useAutocast(), deviceInfo.precision,
                     [&](const std::vector<int>& batchRows, const model::Batch& batch, const torch::Tensor& logits) {
                       namespace F = torch::nn::functional;
                       lossSum += F::cross_entropy(logits, batch.labels, F::CrossEntropyFuncOptions().reduction(torch::kSum))
                                      .item<double>();
                       auto probs = probabilityRows(logits);
                       for (std::size_t b = 0; b < batchRows.size(); ++b) {
                         const std::size_t at = position[batchRows[b]];
                         out.probabilities[at] = std::move(probs[b]);
                         predicted[at] = argmaxRows({out.probabilities[at]})[0];
                         gold[at] = data.labels[static_cast<std::size_t>(batchRows[b])];
                       }
                     }, cancel);
    model->train();
    if (!out.complete) return out;
    out.metrics.loss = lossSum / static_cast<double>(rows.size());
    out.metrics.accuracy = accuracy(predicted, gold);
    out.metrics.microF1 = microF1WithoutNoRelation(predicted, gold, data.noRelationId);
    return out;
  }

  ScheduleSpec scheduleFor(std::size_t trainRows) const;
  void restore(const std::string& checkpoint);
  bool validate(EpochEvent& event);
  bool trainEpoch(int epoch, const std::vector<int>& trainRows);
  FoldResult run(const std::vector<int>& trainRows, const std::vector<int>& validationRows,
                 TrainingObserver& observer, const std::atomic<bool>& cancel, const std::string& resumeFrom);
};

ScheduleSpec FoldTrainer::Impl::scheduleFor(std::size_t trainRows) const {
  const auto& tc = config.train;
  ScheduleSpec spec;
  spec.kind = tc.scheduler;
  spec.peakLr = tc.learningRate;
  spec.minLr = tc.minLr;
  spec.stepsPerEpoch = optimizerStepsPerEpoch(trainRows, tc.batchSize, tc.gradAccumulation);
  spec.totalSteps = spec.stepsPerEpoch * tc.epochs;
  spec.warmupSteps = warmupStepsFor(tc.warmupRatio, tc.warmupSteps, spec.totalSteps);
  spec.restartEpochs = tc.restartEpochs;
  spec.stepEpochs = tc.stepEpochs;
  spec.gamma = tc.stepGamma;
  return spec;
}

// Picks up where the checkpoint was, and what the best evaluation had found: its metrics and
// out-of-fold probabilities come from evaluating the restored (best) weights again.
void FoldTrainer::Impl::restore(const std::string& checkpoint) {
  CheckpointReader reader(checkpoint);
  const auto s = reader.state();
  reader.loadInto(*model, optimizer.get());
  model->to(device);
  optimizer->attach();
  progress.epochsDone = s.epoch;
  progress.batchesDone = s.batchesDone;
  progress.step = s.step;
  progress.evaluationsWithoutImprovement = s.evaluationsWithoutImprovement;
  progress.epoch = s.epochTotals;
  if (s.batchesDone > 0) resumeGenerator = reader.generatorState();
  result.bestEpoch = s.bestEpoch;
  if (s.bestEpoch == 0) return;
  progress.bestScore = s.bestScore;
  progress.bestKept = true;
  result.bestTrainAccuracy = s.bestTrainAccuracy;
  if (validationRows->empty()) return;
  auto eval = evaluate(*validationRows);
  result.best = eval.metrics;
  result.validationProbabilities = std::move(eval.probabilities);
}

// One validation: metrics, the kept checkpoint, early stopping. Returns true to stop.
bool FoldTrainer::Impl::validate(EpochEvent& event) {
  const auto rounded = roundTablesForCheckpoint();
  const auto roundedWeights = roundWeightsForCheckpoint();
  if (validationRows->empty()) {
    result.bestEpoch = event.epoch;
    result.bestTrainAccuracy = event.trainAccuracy;
    save(event.epoch);
    return false;
  }
  auto eval = evaluate(*validationRows, cancel);
  if (!eval.complete) {
    result.status = FoldStatus::Stopped;
    return true;
  }
  event.hasValidation = true;
  event.validation = eval.metrics;
  const double s = score(eval.metrics, config.train.bestMetric);
  if (s > progress.bestScore) {
    progress.bestScore = s;
    progress.evaluationsWithoutImprovement = 0;
    event.improved = true;
    result.bestEpoch = event.epoch;
    result.best = eval.metrics;
    result.bestTrainAccuracy = event.trainAccuracy;
    result.validationProbabilities = std::move(eval.probabilities);
    save(event.epoch);
  } else {
    ++progress.evaluationsWithoutImprovement;
  }
  const int patience = config.train.earlyStoppingPatience;
  return patience > 0 && progress.evaluationsWithoutImprovement >= patience;
}

// Trains one epoch (the rest of it, when resuming mid-epoch), validating where asked. Returns
// true when training should end (stopped, early stopping).
bool FoldTrainer::Impl::trainEpoch(int epoch, const std::vector<int>& trainRows) {
  const auto& tc = config.train;
  const auto epochStart = Clock::now();
  // Dropout and shuffling depend only on (seed, fold, epoch): a resumed run repeats them.
  torch::manual_seed(tc.seed * 7919ULL + static_cast<std::uint64_t>(fold) * 104729ULL + static_cast<std::uint64_t>(epoch));
  const auto batches = trainingBatches(trainRows, lengths, tc.batchSize,
                                       tc.padding,
                                       tc.seed + static_cast<std::uint64_t>(fold), epoch);
  const auto firstBatch = static_cast<std::size_t>(progress.batchesDone);
  if (firstBatch > 0 && resumeGenerator.defined()) {
    // Mid-epoch: the batches already trained are skipped, dropout continues where it was.
    auto generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    generator.set_state(resumeGenerator);
  } else {
    progress.epoch = {};
  }
  resumeGenerator = torch::Tensor();
  EpochTotals window;
  auto windowStart = Clock::now();
  double lr = learningRateAt(schedule, progress.step);
  bool stop = false;
  const auto eventNow = [&] {
    const auto& t = progress.epoch;
    EpochEvent e;
    e.fold = fold;
    e.epoch = epoch + 1;
    e.step = progress.step;
    e.trainLoss = t.seen ? t.lossSum / static_cast<double>(t.seen) : 0.0;
    e.trainAccuracy = t.seen ? static_cast<double>(t.correct) / static_cast<double>(t.seen) : 0.0;
    e.learningRate = lr;
    return e;
  };
  for (std::size_t i = firstBatch; i < batches.size() && !stop; ++i) {
    if (cancel->load(std::memory_order_relaxed)) {
      result.status = FoldStatus::Stopped;
      return true;
    }
    const auto batch = builder->build(batches[i]);
    torch::Tensor logits;
    {
      AutocastScope autocast(useAutocast(), deviceInfo.precision);
      logits = model->forward(batch);
    }
    const auto lossValue = classificationLoss(logits, batch.labels, loss);
    const double l = lossValue.item<double>();
    if (!std::isfinite(l))
      throw std::runtime_error("loss became " + std::to_string(l) + " at epoch " + std::to_string(epoch + 1) +
                               ", step " + std::to_string(progress.step) + " (lower train.lr or enable grad_clip)");
    const double lossMultiplier = (scaleLoss() ? lossScale.scale : 1.0) / tc.gradAccumulation;
    (lossMultiplier != 1.0 ? lossValue * lossMultiplier : lossValue).backward();
    const long n = static_cast<long>(batches[i].size());
    const long correct = logits.argmax(1).eq(batch.labels).sum().item<long>();
    for (auto* totals : {&progress.epoch, &window}) {
      totals->lossSum += l * static_cast<double>(n);
      totals->correct += correct;
      totals->seen += n;
    }
    progress.batchesDone = static_cast<int>(i + 1);
    const bool lastBatch = i + 1 == batches.size();
    if ((i + 1) % static_cast<std::size_t>(tc.gradAccumulation) != 0 && !lastBatch) continue;
    lr = learningRateAt(schedule, progress.step);
    optimizer->setLearningRate(lr);
    const bool finite = !scaleLoss() || optimizer->unscaleGradients(lossScale.scale);
    if (scaleLoss()) lossScale.update(finite);
    if (finite) {
      optimizer->clipGradients(tc.gradClip);
      optimizer->step();
    }
    optimizer->zeroGrad();
    ++progress.step;
    if (progress.step % tc.logEverySteps == 0 || lastBatch) {
      const double seconds = std::chrono::duration<double>(Clock::now() - windowStart).count();
      observer->onStep({fold, epoch + 1, progress.step, schedule.totalSteps, window.lossSum / static_cast<double>(window.seen),
                        static_cast<double>(window.correct) / static_cast<double>(window.seen), lr,
                        seconds > 0 ? static_cast<double>(window.seen) / seconds : 0.0});
      window = {};
      windowStart = Clock::now();
    }
    if (tc.evalEverySteps > 0 && progress.step % tc.evalEverySteps == 0 && !lastBatch && !validationRows->empty()) {
      auto mid = eventNow();
      stop = validate(mid);
      observer->onEpoch(mid);
    }
  }
  const double epochSeconds = std::chrono::duration<double>(Clock::now() - epochStart).count();
  progress.examplesSeen += static_cast<double>(progress.epoch.seen);
  progress.trainSeconds += epochSeconds;
  if (stop) {
    if (result.status != FoldStatus::Stopped) result.status = FoldStatus::EarlyStopped;
    return true;
  }
  progress.epochsDone = epoch + 1;
  progress.batchesDone = 0;
  auto event = eventNow();
  event.seconds = epochSeconds;
  stop = validate(event);
  if (stop && result.status != FoldStatus::Stopped) result.status = FoldStatus::EarlyStopped;
  result.epochs.push_back(event);
  observer->onEpoch(event);
  return stop;
}

FoldResult FoldTrainer::Impl::run(const std::vector<int>& trainRows, const std::vector<int>& validation,
                                  TrainingObserver& obs, const std::atomic<bool>& cancelFlag,
                                  const std::string& resumeFrom) {
  validationRows = &validation;
  cancel = &cancelFlag;
  observer = &obs;
  result = {};
  result.fold = fold;
  result.trainRows = trainRows.size();
  result.validationRows = validation;
  result.checkpointPath = checkpointPath;
  const auto started = Clock::now();
  try {
    if (trainRows.empty()) throw std::invalid_argument("no training rows");
    build(trainRows);
    if (!resumeFrom.empty()) restore(resumeFrom);
    observer->onFoldStart(fold, trainRows.size(), validation.size());
    schedule = scheduleFor(trainRows.size());
    model->train();
    for (int epoch = progress.epochsDone; epoch < config.train.epochs; ++epoch)
      if (trainEpoch(epoch, trainRows)) break;
    result.examplesPerSecond = progress.trainSeconds > 0 ? progress.examplesSeen / progress.trainSeconds : 0.0;
    // Stopped with no best kept yet: the current weights make the fold loadable and resumable.
    // A kept best is never overwritten by weights that did not beat it.
    if (result.status == FoldStatus::Stopped && !progress.bestKept) {
      const auto rounded = roundTablesForCheckpoint();
      const auto roundedWeights = roundWeightsForCheckpoint();
      save(0);
    }
  } catch (const c10::Error& e) {
    result.status = FoldStatus::Failed;
    result.error = e.what_without_backtrace();
  } catch (const std::exception& e) {
    result.status = FoldStatus::Failed;
    result.error = e.what();
  }
  result.steps = progress.step;
  result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  observer->onFoldEnd(result);
  return result;
}

FoldTrainer::FoldTrainer(const config::ExperimentConfig& config, const TrainingData& data, int fold,
                         std::string checkpointPath)
    : impl_(std::make_unique<Impl>(config, data, fold, std::move(checkpointPath))) {}

FoldTrainer::~FoldTrainer() = default;

FoldResult FoldTrainer::train(const std::vector<int>& trainRows, const std::vector<int>& validationRows,
                              TrainingObserver& observer, const std::atomic<bool>& cancel) {
  return impl_->run(trainRows, validationRows, observer, cancel, {});
}

FoldResult FoldTrainer::resume(const std::string& checkpoint, const std::vector<int>& trainRows,
                               const std::vector<int>& validationRows, TrainingObserver& observer,
                               const std::atomic<bool>& cancel) {
  return impl_->run(trainRows, validationRows, observer, cancel, checkpoint);
}

std::string torchVersion() { return TORCH_VERSION; }

int evaluationBatchSize(const config::TrainConfig& c) { return std::max(1, c.batchSize * 2); }

std::vector<std::vector<float>> predictProbabilities(const std::string& checkpoint, const TrainingData& data,
                                                     const std::vector<int>& rows, int batchSize) {
  CheckpointReader reader(checkpoint);
  const auto s = reader.state();
  auto config = config::fromJson(s.configJson, checkpoint);
  if (s.numLabels != data.numLabels)
    throw std::runtime_error(checkpoint + " predicts " + std::to_string(s.numLabels) + " labels, the data has " +
                             std::to_string(data.numLabels));
  if (config.train.device == config::Device::Cuda) config.train.device = config::Device::Auto;
  const auto info = configureDevice(config.train);
  const torch::Device device(info.device);
  auto model = model::makeClassifier(config.model, s.vocabSize, s.numLabels, s.maxLen, /*initialise=*/false);
  reader.loadInto(*model, nullptr);
  model->to(device);
  model->eval();
  torch::NoGradGuard noGrad;
  const bool ngram = config.model.family == config::ModelFamily::Ngram;
  const BatchBuilder builder(data, ngram, false, device);
  const auto lengths = data.lengths();
  std::vector<std::vector<float>> out(rows.size());
  std::unordered_map<int, std::vector<std::size_t>> positions;
  for (std::size_t i = 0; i < rows.size(); ++i) positions[rows[i]].push_back(i);
  std::vector<int> unique;
  for (const auto& [row, at] : positions) unique.push_back(row);
  std::sort(unique.begin(), unique.end());
  if (batchSize <= 0) batchSize = evaluationBatchSize(config.train);
  forwardInBatches(*model, builder, unique, lengths, batchSize, device.is_cuda() && info.precision != config::Precision::Fp32,
                   info.precision, [&](const std::vector<int>& batchRows, const model::Batch&, const torch::Tensor& logits) {
                     const auto probs = probabilityRows(logits);
                     for (std::size_t b = 0; b < batchRows.size(); ++b)
                       for (std::size_t at : positions[batchRows[b]]) out[at] = probs[b];
                   });
  return out;
}

}  // namespace foldbench::train
