#include "foldbench/train/fold_trainer.h"

#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>

#include <malloc.h>

#include <chrono>
#include <cmath>
#include <thread>

#include "batch_builder.h"
#include "checkpoint.h"

#include <torch/version.h>
#include "foldbench/train/batching.h"
#include "foldbench/train/schedule.h"
#include "losses.h"
#include "optimizer.h"

namespace foldbench::train {

using Clock = std::chrono::steady_clock;

const char* toString(FoldStatus status) {
  switch (status) {
    case FoldStatus::Finished: return "finished";
    case FoldStatus::EarlyStopped: return "early_stopped";
    case FoldStatus::Stopped: return "stopped";
    case FoldStatus::Failed: return "failed";
  }
  return "failed";
}

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
  const bool cuda = c.device == "cuda" || (c.device == "auto" && torch::cuda::is_available());
  if (c.device == "cuda" && !torch::cuda::is_available())
    throw std::runtime_error("train.device is cuda but no CUDA device is available");
  info.device = cuda ? "cuda:0" : "cpu";
  info.precision = cuda ? c.precision : "fp32";
  return info;
}

namespace {

// Higher is better for every metric, so loss is negated.
double score(const EvalMetrics& m, const std::string& metric) {
  if (metric == "micro_f1") return m.microF1;
  if (metric == "loss") return -m.loss;
  return m.accuracy;
}

// Runs forward passes under autocast on CUDA when asked.
class AutocastScope {
 public:
  AutocastScope(bool enabled, const std::string& precision) : enabled_(enabled) {
    if (!enabled_) return;
    at::autocast::set_autocast_gpu_dtype(precision == "fp16" ? at::kHalf : at::kBFloat16);
    at::autocast::set_enabled(true);
  }
  ~AutocastScope() {
    if (!enabled_) return;
    at::autocast::set_enabled(false);
    at::autocast::clear_cache();
  }

 private:
  bool enabled_;
};

// Forward passes over `rows` in length-sorted batches, calling visit(rows, batch, float logits).
// Returns false when `cancel` was raised before every batch ran (checked between batches).
template <typename Visit>
bool forwardInBatches(model::ClassifierModule& model, const BatchBuilder& builder, const std::vector<int>& rows,
                      const std::vector<int>& lengths, int batchSize, bool autocast, const std::string& precision,
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

  bool useAutocast() const { return device.is_cuda() && deviceInfo.precision != "fp32"; }

  void build(const std::vector<int>& trainRows) {
    deviceInfo = configureDevice(config.train);
    device = torch::Device(deviceInfo.device);
    torch::manual_seed(config.train.seed + static_cast<std::uint64_t>(fold));
    model = model::makeClassifier(config.model, data.vocabSize, data.numLabels, data.maxLen);
    model->to(device);
    optimizer = std::make_unique<TrainingOptimizer>(*model, model->sparseParameters(), config.train.weightDecay);
    const bool ngram = config.model.family == "ngram";
    builder = std::make_unique<BatchBuilder>(data, ngram, config.train.padding == "fixed" && !ngram, device);
    lengths = data.lengths();
    loss.kind = config.train.loss;
    loss.labelSmoothing = config.train.labelSmoothing;
    loss.focalGamma = config.train.focalGamma;
    if (loss.kind == "weighted_ce") {
      std::vector<int> trainLabels;
      for (int r : trainRows) trainLabels.push_back(data.labels[static_cast<std::size_t>(r)]);
      loss.classWeights = inverseFrequencyWeights(trainLabels, data.numLabels).to(device);
    }
  }

  CheckpointState state(int epoch, long step, int bestEpoch, double bestScore) const {
    return {epoch, step, bestEpoch, bestScore, data.numLabels, data.vocabSize, data.maxLen, config::toJson(config)};
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
    out.complete = forwardInBatches(*model, *builder, rows, lengths, config.train.batchSize * 2, useAutocast(), deviceInfo.precision,
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

  FoldResult run(const std::vector<int>& trainRows, const std::vector<int>& validationRows,
                 TrainingObserver& observer, const std::atomic<bool>& cancel, const std::string& resumeFrom);
};

FoldResult FoldTrainer::Impl::run(const std::vector<int>& trainRows, const std::vector<int>& validationRows,
                                  TrainingObserver& observer, const std::atomic<bool>& cancel,
                                  const std::string& resumeFrom) {
  FoldResult result;
  result.fold = fold;
  result.trainRows = trainRows.size();
  result.validationRows = validationRows;
  result.checkpointPath = checkpointPath;
  const auto started = Clock::now();
  int startEpoch = 0;
  long step = 0;
  double bestScore = -std::numeric_limits<double>::infinity();
  bool checkpointWritten = false;
  try {
    if (trainRows.empty()) throw std::invalid_argument("no training rows");
    build(trainRows);
    if (!resumeFrom.empty()) {
      CheckpointReader reader(resumeFrom);
      const auto s = reader.state();
      reader.loadInto(*model, optimizer.get());
      model->to(device);
      optimizer->attach();
      startEpoch = s.epoch;
      step = s.step;
      result.bestEpoch = s.bestEpoch;
      bestScore = s.bestEpoch > 0 ? s.bestScore : bestScore;
    }
    observer.onFoldStart(fold, trainRows.size(), validationRows.size());
    const auto& tc = config.train;
    const Padding padding = tc.padding == "fixed" ? Padding::Fixed : Padding::Bucketed;
    ScheduleSpec schedule;
    schedule.kind = tc.scheduler;
    schedule.peakLr = tc.learningRate;
    schedule.minLr = tc.minLr;
    schedule.stepsPerEpoch = optimizerStepsPerEpoch(trainRows.size(), tc.batchSize, tc.gradAccumulation);
    schedule.totalSteps = schedule.stepsPerEpoch * tc.epochs;
    schedule.warmupSteps = warmupStepsFor(tc.warmupRatio, tc.warmupSteps, schedule.totalSteps);
    schedule.restartEpochs = tc.restartEpochs;
    schedule.stepEpochs = tc.stepEpochs;
    schedule.gamma = tc.stepGamma;
    int evaluationsWithoutImprovement = 0;
    double examplesSeen = 0.0, trainSeconds = 0.0;
    model->train();

    // One validation: metrics, the kept checkpoint, early stopping. Returns true to stop.
    const auto validate = [&](EpochEvent& event, int epochDone) {
      if (validationRows.empty()) {
        saveCheckpoint(checkpointPath, *model, config.train.saveOptimizer ? optimizer.get() : nullptr, state(epochDone, step, epochDone, 0.0));
        checkpointWritten = true;
        result.bestEpoch = epochDone;
        result.bestTrainAccuracy = event.trainAccuracy;
        return false;
      }
      auto eval = evaluate(validationRows, &cancel);
      if (!eval.complete) {
        result.status = FoldStatus::Stopped;
        return true;
      }
      event.hasValidation = true;
      event.validation = eval.metrics;
      const double s = score(eval.metrics, tc.bestMetric);
      if (s > bestScore) {
        bestScore = s;
        event.improved = true;
        result.bestEpoch = event.epoch;
        result.best = eval.metrics;
        result.bestTrainAccuracy = event.trainAccuracy;
        result.validationProbabilities = std::move(eval.probabilities);
        saveCheckpoint(checkpointPath, *model, config.train.saveOptimizer ? optimizer.get() : nullptr, state(epochDone, step, event.epoch, bestScore));
        checkpointWritten = true;
        evaluationsWithoutImprovement = 0;
      } else {
        ++evaluationsWithoutImprovement;
      }
      return tc.earlyStoppingPatience > 0 && evaluationsWithoutImprovement >= tc.earlyStoppingPatience;
    };

    bool stop = false;
    for (int epoch = startEpoch; epoch < tc.epochs && !stop; ++epoch) {
      const auto epochStart = Clock::now();
      // Dropout and shuffling depend only on (seed, fold, epoch): a resumed run repeats them.
      torch::manual_seed(tc.seed * 7919ULL + static_cast<std::uint64_t>(fold) * 104729ULL + static_cast<std::uint64_t>(epoch));
      const auto batches = trainingBatches(trainRows, lengths, tc.batchSize, padding, tc.seed + static_cast<std::uint64_t>(fold), epoch);
      double epochLoss = 0.0, windowLoss = 0.0;
      long epochCorrect = 0, epochSeen = 0, windowCorrect = 0, windowSeen = 0;
      auto windowStart = Clock::now();
      double lr = learningRateAt(schedule, step);
      for (std::size_t i = 0; i < batches.size(); ++i) {
        if (cancel.load(std::memory_order_relaxed)) {
          result.status = FoldStatus::Stopped;
          stop = true;
          break;
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
                                   ", step " + std::to_string(step) + " (lower train.lr or enable grad_clip)");
        (tc.gradAccumulation > 1 ? lossValue / tc.gradAccumulation : lossValue).backward();
        const long n = static_cast<long>(batches[i].size());
        const long correct = logits.argmax(1).eq(batch.labels).sum().item<long>();
        epochLoss += l * static_cast<double>(n);
        epochCorrect += correct;
        epochSeen += n;
        windowLoss += l * static_cast<double>(n);
        windowCorrect += correct;
        windowSeen += n;
        const bool lastBatch = i + 1 == batches.size();
        if ((i + 1) % static_cast<std::size_t>(tc.gradAccumulation) == 0 || lastBatch) {
          lr = learningRateAt(schedule, step);
          optimizer->setLearningRate(lr);
          optimizer->clipGradients(tc.gradClip);
          optimizer->step();
          optimizer->zeroGrad();
          ++step;
          if (step % tc.logEverySteps == 0 || lastBatch) {
            const double seconds = std::chrono::duration<double>(Clock::now() - windowStart).count();
            observer.onStep({fold, epoch + 1, step, schedule.totalSteps, windowLoss / static_cast<double>(windowSeen),
                             static_cast<double>(windowCorrect) / static_cast<double>(windowSeen), lr,
                             seconds > 0 ? static_cast<double>(windowSeen) / seconds : 0.0});
            windowLoss = 0.0;
            windowCorrect = windowSeen = 0;
            windowStart = Clock::now();
          }
          if (tc.evalEverySteps > 0 && step % tc.evalEverySteps == 0 && !lastBatch && !validationRows.empty()) {
            EpochEvent mid{fold, epoch + 1, step, epochLoss / static_cast<double>(epochSeen),
                           static_cast<double>(epochCorrect) / static_cast<double>(epochSeen)};
            mid.learningRate = lr;
            if (validate(mid, epoch)) {
              if (result.status != FoldStatus::Stopped) result.status = FoldStatus::EarlyStopped;
              stop = true;
            }
            observer.onEpoch(mid);
            if (stop) break;
          }
        }
      }
      const double epochSeconds = std::chrono::duration<double>(Clock::now() - epochStart).count();
      examplesSeen += static_cast<double>(epochSeen);
      trainSeconds += epochSeconds;
      if (result.status == FoldStatus::Stopped || result.status == FoldStatus::EarlyStopped) break;
      EpochEvent event{fold, epoch + 1, step, epochSeen ? epochLoss / static_cast<double>(epochSeen) : 0.0,
                       epochSeen ? static_cast<double>(epochCorrect) / static_cast<double>(epochSeen) : 0.0};
      event.learningRate = lr;
      event.seconds = epochSeconds;
      if (validate(event, epoch + 1)) {
        if (result.status != FoldStatus::Stopped) result.status = FoldStatus::EarlyStopped;
        stop = true;
      }
      result.epochs.push_back(event);
      observer.onEpoch(event);
    }
    result.examplesPerSecond = trainSeconds > 0 ? examplesSeen / trainSeconds : 0.0;
    if (!checkpointWritten && result.status == FoldStatus::Stopped)
      // Stopped before any evaluation: keep the current weights so the fold stays loadable.
      saveCheckpoint(checkpointPath, *model, config.train.saveOptimizer ? optimizer.get() : nullptr, state(0, step, 0, 0.0));
  } catch (const c10::Error& e) {
    result.status = FoldStatus::Failed;
    result.error = e.what_without_backtrace();
  } catch (const std::exception& e) {
    result.status = FoldStatus::Failed;
    result.error = e.what();
  }
  result.steps = step;
  result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  observer.onFoldEnd(result);
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

std::vector<std::vector<float>> predictProbabilities(const std::string& checkpoint, const TrainingData& data,
                                                     const std::vector<int>& rows, int batchSize) {
  CheckpointReader reader(checkpoint);
  const auto s = reader.state();
  auto config = config::fromJson(s.configJson, checkpoint);
  if (s.numLabels != data.numLabels)
    throw std::runtime_error(checkpoint + " predicts " + std::to_string(s.numLabels) + " labels, the data has " +
                             std::to_string(data.numLabels));
  config.train.device = config.train.device == "cuda" ? "auto" : config.train.device;
  const auto info = configureDevice(config.train);
  const torch::Device device(info.device);
  auto model = model::makeClassifier(config.model, s.vocabSize, s.numLabels, s.maxLen, /*initialise=*/false);
  reader.loadInto(*model, nullptr);
  model->to(device);
  model->eval();
  torch::NoGradGuard noGrad;
  const bool ngram = config.model.family == "ngram";
  const BatchBuilder builder(data, ngram, false, device);
  const auto lengths = data.lengths();
  std::vector<std::vector<float>> out(rows.size());
  std::unordered_map<int, std::vector<std::size_t>> positions;
  for (std::size_t i = 0; i < rows.size(); ++i) positions[rows[i]].push_back(i);
  std::vector<int> unique;
  for (const auto& [row, at] : positions) unique.push_back(row);
  std::sort(unique.begin(), unique.end());
  forwardInBatches(*model, builder, unique, lengths, batchSize, device.is_cuda() && info.precision != "fp32",
                   info.precision, [&](const std::vector<int>& batchRows, const model::Batch&, const torch::Tensor& logits) {
                     const auto probs = probabilityRows(logits);
                     for (std::size_t b = 0; b < batchRows.size(); ++b)
                       for (std::size_t at : positions[batchRows[b]]) out[at] = probs[b];
                   });
  return out;
}

}  // namespace foldbench::train
