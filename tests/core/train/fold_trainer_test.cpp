// Real LibTorch training on the generated sample data, tiny models, CPU.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <numeric>
#include <filesystem>

#include "foldbench/data/folds.h"
#include "foldbench/data/sample_generator.h"
#include "foldbench/kfold/kfold_runner.h"
#include "foldbench/train/fold_trainer.h"
#include "checkpoint.h"
#include "classifier.h"
#include "optimizer.h"
#include "foldbench/train/metrics.h"
#include "probability_difference.h"
#include "sample_tokenizer.h"

namespace foldbench::train {
namespace {

config::ExperimentConfig tinyConfig() {
  config::ExperimentConfig c;
  c.data.trainPath = "sample";
  c.input.format = text::InputFormat::EntityMarkers;
  c.input.maxLen = 48;
  c.model.layers = 1;
  c.model.hidden = 32;
  c.model.heads = 2;
  c.model.feedForward = 64;
  c.train.batchSize = 16;
  c.train.learningRate = 3e-3;
  c.train.minLr = 1e-5;
  c.train.epochs = 3;
  c.train.threads = 2;
  c.train.logEverySteps = 1;
  return c;
}

struct Sample {
  data::SampleData sample = data::generateSample();
  TrainingData data(const config::ExperimentConfig& c) const {
    return kfold::encodeForRun(c, sample.train.rows, sample.labels, testing::sampleTokenizer().modelPath());
  }
};

const Sample& sample() {
  static Sample s;
  return s;
}

class Recorder : public TrainingObserver {
 public:
  std::vector<StepEvent> steps;
  std::vector<EpochEvent> epochs;
  int foldEnds = 0;
  std::function<void(const StepEvent&)> onEachStep;
  void onStep(const StepEvent& e) override {
    steps.push_back(e);
    if (onEachStep) onEachStep(e);
  }
  void onEpoch(const EpochEvent& e) override { epochs.push_back(e); }
  void onFoldEnd(const FoldResult&) override { ++foldEnds; }
};

std::vector<int> range(int from, int to) {
  std::vector<int> r;
  for (int i = from; i < to; ++i) r.push_back(i);
  return r;
}

TEST(FoldTrainer, TinyModelOverfitsAHandfulOfExamples) {
  auto c = tinyConfig();
  c.model.dropout = c.model.attentionDropout = c.model.headDropout = 0.0;
  c.train.labelSmoothing = 0.0;
  c.train.epochs = 150;
  c.train.batchSize = 8;
  c.train.warmupRatio = 0.0;
  c.train.scheduler = config::Scheduler::Constant;
  const auto data = sample().data(c);
  testing::TempDir dir;
  Recorder recorder;
  std::atomic<bool> cancel{false};
  const auto rows = range(0, 8);
  const auto result = FoldTrainer(c, data, 0, dir.file("best.pt")).train(rows, rows, recorder, cancel);
  ASSERT_EQ(result.status, FoldStatus::Finished) << result.error;
  EXPECT_DOUBLE_EQ(result.best.accuracy, 1.0);
  EXPECT_LT(recorder.epochs.back().trainLoss, 0.1);
  EXPECT_LT(recorder.epochs.back().trainLoss, recorder.epochs.front().trainLoss / 10);
}

TEST(FoldTrainer, SameSeedGivesTheSameMetrics) {
  const auto c = tinyConfig();
  const auto data = sample().data(c);
  testing::TempDir dir;
  std::atomic<bool> cancel{false};
  Recorder a, b;
  const auto ra = FoldTrainer(c, data, 0, dir.file("a.pt")).train(range(0, 160), range(160, 200), a, cancel);
  const auto rb = FoldTrainer(c, data, 0, dir.file("b.pt")).train(range(0, 160), range(160, 200), b, cancel);
  ASSERT_EQ(a.epochs.size(), b.epochs.size());
  for (std::size_t i = 0; i < a.epochs.size(); ++i) {
    EXPECT_DOUBLE_EQ(a.epochs[i].trainLoss, b.epochs[i].trainLoss);
    EXPECT_DOUBLE_EQ(a.epochs[i].validation.accuracy, b.epochs[i].validation.accuracy);
  }
  EXPECT_EQ(ra.validationProbabilities, rb.validationProbabilities);
}

TEST(FoldTrainer, StopRequestEndsWithinAStepAndLeavesALoadableCheckpoint) {
  const auto c = tinyConfig();
  const auto data = sample().data(c);
  testing::TempDir dir;
  std::atomic<bool> cancel{false};
  Recorder recorder;
  recorder.onEachStep = [&](const StepEvent& e) {
    if (e.step == 3) cancel = true;
  };
  const auto result = FoldTrainer(c, data, 0, dir.file("best.pt")).train(range(0, 160), range(160, 200), recorder, cancel);
  EXPECT_EQ(result.status, FoldStatus::Stopped);
  EXPECT_EQ(result.steps, 3);
  EXPECT_EQ(recorder.foldEnds, 1);
  ASSERT_TRUE(std::filesystem::exists(dir.file("best.pt")));
  const auto probs = predictProbabilities(dir.file("best.pt"), data, {0, 1});
  ASSERT_EQ(probs.size(), 2u);
  EXPECT_NEAR(std::accumulate(probs[0].begin(), probs[0].end(), 0.0f), 1.0f, 1e-4);
}

TEST(FoldTrainer, CheckpointGivesIdenticalPredictions) {
  const auto c = tinyConfig();
  const auto data = sample().data(c);
  testing::TempDir dir;
  std::atomic<bool> cancel{false};
  Recorder recorder;
  const auto validation = range(160, 200);
  const auto result = FoldTrainer(c, data, 0, dir.file("best.pt")).train(range(0, 160), validation, recorder, cancel);
  ASSERT_EQ(result.status, FoldStatus::Finished) << result.error;
  const auto loaded = predictProbabilities(dir.file("best.pt"), data, validation);
  EXPECT_EQ(loaded, predictProbabilities(dir.file("best.pt"), data, validation)) << "loading is deterministic";
  // The same rows in the same batches with the same threads: the very numbers the run scored,
  // on every BLAS kernel set.
  EXPECT_EQ(loaded, result.validationProbabilities);
  // Batches cut otherwise give other matrix shapes: equal to float rounding, the same argmax.
  const auto rebatched = predictProbabilities(dir.file("best.pt"), data, validation, 7);
  EXPECT_LT(testing::largestDifference(rebatched, loaded), 1e-5);
  EXPECT_EQ(argmaxRows(rebatched), argmaxRows(loaded));
}

TEST(FoldTrainer, ResumingFromACheckpointContinuesIdentically) {
  auto c = tinyConfig();
  c.train.epochs = 2;
  const auto data = sample().data(c);
  testing::TempDir dir;
  std::atomic<bool> never{false};
  Recorder straight;
  FoldTrainer(c, data, 0, dir.file("straight.pt")).train(range(0, 200), {}, straight, never);

  // The same run, stopped after its first epoch (no validation: every epoch is checkpointed)...
  std::atomic<bool> cancel{false};
  Recorder first;
  FoldTrainer firstTrainer(c, data, 0, dir.file("resumed.pt"));
  struct StopAfterEpoch : Recorder {
    std::atomic<bool>* cancel;
    void onEpoch(const EpochEvent& e) override {
      Recorder::onEpoch(e);
      *cancel = true;
    }
  } stopper;
  stopper.cancel = &cancel;
  const auto stopped = firstTrainer.train(range(0, 200), {}, stopper, cancel);
  ASSERT_EQ(stopped.status, FoldStatus::Stopped);
  // ... then resumed in a new trainer.
  Recorder second;
  const auto resumed = FoldTrainer(c, data, 0, dir.file("resumed.pt"))
                           .resume(dir.file("resumed.pt"), range(0, 200), {}, second, never);
  ASSERT_EQ(resumed.status, FoldStatus::Finished) << resumed.error;
  ASSERT_EQ(second.epochs.size(), 1u);
  EXPECT_EQ(second.epochs[0].epoch, 2);
  EXPECT_DOUBLE_EQ(second.epochs[0].trainLoss, straight.epochs[1].trainLoss);
  EXPECT_EQ(predictProbabilities(dir.file("resumed.pt"), data, range(0, 20)),
            predictProbabilities(dir.file("straight.pt"), data, range(0, 20)));
}

std::string fileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(FoldTrainer, ResumingRestoresTheBestEvaluationEvenWhenNothingImproves) {
  auto c = tinyConfig();
  c.train.epochs = 2;
  const auto data = sample().data(c);
  testing::TempDir dir;
  std::atomic<bool> never{false};
  Recorder first, second;
  const auto straight = FoldTrainer(c, data, 0, dir.file("best.pt")).train(range(0, 160), range(160, 200), first, never);
  ASSERT_EQ(straight.status, FoldStatus::Finished) << straight.error;
  ASSERT_GT(straight.bestEpoch, 0);
  // Whatever epoch was best, the resumed fold cannot beat it: its result must still be that best.
  const auto resumed = FoldTrainer(c, data, 0, dir.file("best.pt"))
                           .resume(dir.file("best.pt"), range(0, 160), range(160, 200), second, never);
  ASSERT_EQ(resumed.status, FoldStatus::Finished) << resumed.error;
  EXPECT_EQ(resumed.bestEpoch, straight.bestEpoch);
  EXPECT_EQ(resumed.best.accuracy, straight.best.accuracy);
  EXPECT_EQ(resumed.best.loss, straight.best.loss);
  EXPECT_EQ(resumed.bestTrainAccuracy, straight.bestTrainAccuracy);
  EXPECT_EQ(resumed.validationProbabilities, straight.validationProbabilities);
}

TEST(FoldTrainer, AMidEpochCheckpointResumesWithoutReplayingTheEpoch) {
  auto c = tinyConfig();
  c.train.epochs = 2;
  c.train.evalEverySteps = 4;  // 10 steps an epoch: validations at steps 4 and 8 mid-epoch
  const auto data = sample().data(c);
  testing::TempDir dir;
  std::atomic<bool> never{false};
  Recorder straightLog;
  const auto straight = FoldTrainer(c, data, 0, dir.file("straight.pt")).train(range(0, 160), range(160, 200), straightLog, never);
  ASSERT_EQ(straight.status, FoldStatus::Finished) << straight.error;

  // Stopped right after the first mid-epoch validation, which always improves on nothing.
  std::atomic<bool> cancel{false};
  struct StopAfterFirstValidation : Recorder {
    std::atomic<bool>* cancel;
    void onEpoch(const EpochEvent& e) override {
      Recorder::onEpoch(e);
      *cancel = true;
    }
  } stopper;
  stopper.cancel = &cancel;
  const auto stopped = FoldTrainer(c, data, 0, dir.file("resumed.pt")).train(range(0, 160), range(160, 200), stopper, cancel);
  ASSERT_EQ(stopped.status, FoldStatus::Stopped);
  ASSERT_EQ(stopper.epochs.size(), 1u);
  EXPECT_EQ(stopper.epochs[0].step, 4);
  EXPECT_EQ(CheckpointReader(dir.file("resumed.pt")).state().batchesDone, 4);

  Recorder resumedLog;
  const auto resumed = FoldTrainer(c, data, 0, dir.file("resumed.pt"))
                           .resume(dir.file("resumed.pt"), range(0, 160), range(160, 200), resumedLog, never);
  ASSERT_EQ(resumed.status, FoldStatus::Finished) << resumed.error;
  EXPECT_EQ(resumed.steps, straight.steps) << "no batch trained twice, none skipped";
  ASSERT_FALSE(resumedLog.epochs.empty());
  ASSERT_EQ(resumedLog.epochs.back().step, straightLog.epochs.back().step);
  // The rest of the epoch continues exactly: same dropout, same schedule, same epoch totals.
  EXPECT_DOUBLE_EQ(resumedLog.epochs.back().trainLoss, straightLog.epochs.back().trainLoss);
  EXPECT_DOUBLE_EQ(resumedLog.epochs.back().validation.loss, straightLog.epochs.back().validation.loss);
  EXPECT_EQ(resumed.bestEpoch, straight.bestEpoch);
  EXPECT_EQ(resumed.best.accuracy, straight.best.accuracy);
}

TEST(FoldTrainer, StoppingAfterAResumeKeepsTheBestCheckpoint) {
  auto c = tinyConfig();
  c.train.epochs = 3;
  const auto data = sample().data(c);
  testing::TempDir dir;
  std::atomic<bool> never{false};
  Recorder first;
  c.train.epochs = 1;
  ASSERT_EQ(FoldTrainer(c, data, 0, dir.file("best.pt")).train(range(0, 160), range(160, 200), first, never).status,
            FoldStatus::Finished);
  const auto best = fileBytes(dir.file("best.pt"));
  // Resumed for more epochs, stopped a few steps in, before any evaluation.
  c.train.epochs = 3;
  std::atomic<bool> cancel{false};
  Recorder stopper;
  stopper.onEachStep = [&](const StepEvent& e) {
    if (e.step >= 13) cancel = true;
  };
  const auto stopped = FoldTrainer(c, data, 0, dir.file("best.pt"))
                           .resume(dir.file("best.pt"), range(0, 160), range(160, 200), stopper, cancel);
  ASSERT_EQ(stopped.status, FoldStatus::Stopped) << stopped.error;
  EXPECT_GE(stopped.steps, 13);
  EXPECT_EQ(stopped.bestEpoch, 1);
  EXPECT_TRUE(fileBytes(dir.file("best.pt")) == best) << "the best checkpoint was overwritten by weights that did not beat it";
}

TEST(FoldTrainer, CheckpointsWithoutOptimizerStatePredictButRefuseToResume) {
  auto c = tinyConfig();
  c.train.saveOptimizer = false;
  c.train.epochs = 1;
  const auto data = sample().data(c);
  testing::TempDir dir;
  std::atomic<bool> cancel{false};
  Recorder recorder;
  const auto result = FoldTrainer(c, data, 0, dir.file("best.pt")).train(range(0, 160), range(160, 200), recorder, cancel);
  ASSERT_EQ(result.status, FoldStatus::Finished) << result.error;
  EXPECT_EQ(predictProbabilities(dir.file("best.pt"), data, range(160, 200)).size(), 40u);
  const auto resumed = FoldTrainer(c, data, 0, dir.file("again.pt"))
                           .resume(dir.file("best.pt"), range(0, 160), range(160, 200), recorder, cancel);
  EXPECT_EQ(resumed.status, FoldStatus::Failed);
  EXPECT_NE(resumed.error.find("no optimizer state"), std::string::npos) << resumed.error;
}

TEST(FoldTrainer, NonFiniteLossFailsTheFoldWithoutKillingTheProcess) {
  // Weights that already diverged (a checkpoint saved from a broken run) give a NaN loss.
  const auto c = tinyConfig();
  const auto data = sample().data(c);
  testing::TempDir dir;
  {
    auto model = model::makeClassifier(c.model, data.vocabSize, data.numLabels, data.maxLen);
    torch::NoGradGuard noGrad;
    model->parameters()[0].fill_(std::numeric_limits<float>::quiet_NaN());
    TrainingOptimizer optimizer(*model, {}, 0.0);
    CheckpointState state;
    state.numLabels = data.numLabels;
    state.vocabSize = data.vocabSize;
    state.maxLen = data.maxLen;
    state.configJson = config::toJson(c);
    saveCheckpoint(dir.file("diverged.pt"), *model, &optimizer, state);
  }
  std::atomic<bool> cancel{false};
  Recorder recorder;
  const auto result = FoldTrainer(c, data, 0, dir.file("best.pt"))
                          .resume(dir.file("diverged.pt"), range(0, 160), range(160, 200), recorder, cancel);
  ASSERT_EQ(result.status, FoldStatus::Failed);
  EXPECT_NE(result.error.find("loss became nan"), std::string::npos) << result.error;
  EXPECT_EQ(recorder.foldEnds, 1);
}

TEST(FoldTrainer, UnwritableCheckpointFailsTheFoldWithAClearMessage) {
  const auto c = tinyConfig();
  const auto data = sample().data(c);
  testing::TempDir dir;
  const auto blocker = dir.write("not-a-directory", "");
  std::atomic<bool> cancel{false};
  Recorder recorder;
  const auto result =
      FoldTrainer(c, data, 0, blocker + "/fold-0/best.pt").train(range(0, 160), range(160, 200), recorder, cancel);
  ASSERT_EQ(result.status, FoldStatus::Failed);
  EXPECT_NE(result.error.find("not-a-directory"), std::string::npos) << result.error;
}

TEST(FoldTrainer, MissingCheckpointIsAClearError) {
  const auto data = sample().data(tinyConfig());
  EXPECT_THROW(predictProbabilities("/nonexistent/best.pt", data, {0}), std::runtime_error);
}

class NgramModel : public ::testing::TestWithParam<bool> {};

// The n-gram family at the sample's size.
config::ExperimentConfig tinyNgramConfig(bool context, int epochs) {
  auto c = tinyConfig();
  c.model.family = config::ModelFamily::Ngram;
  c.model.ngramContext = context;
  c.model.ngramBucketsLog2 = 14;
  c.model.ngramDim = 16;
  c.model.mlpHidden = 32;
  c.train.epochs = epochs;
  c.train.learningRate = 2e-2;
  return c;
}

TEST_P(NgramModel, LearnsTheSampleAndReloadsToTheSamePredictions) {
  const auto c = tinyNgramConfig(GetParam(), 8);
  const auto data = sample().data(c);
  ASSERT_EQ(data.ngrams.size(), data.size());
  ASSERT_EQ(data.ngrams[0].ids.size(), GetParam() ? 5u : 4u);
  testing::TempDir dir;
  std::atomic<bool> cancel{false};
  Recorder recorder;
  const auto result = FoldTrainer(c, data, 0, dir.file("best.pt")).train(range(0, 380), range(380, 480), recorder, cancel);
  ASSERT_EQ(result.status, FoldStatus::Finished) << result.error;
  EXPECT_GT(result.best.accuracy, 0.7);
  EXPECT_EQ(predictProbabilities(dir.file("best.pt"), data, range(380, 480)), result.validationProbabilities);
}

TEST(NgramModelFp16, TheOutOfFoldProbabilitiesAreThoseOfTheHalvedCheckpoint) {
  auto c = tinyNgramConfig(true, 4);
  c.train.saveOptimizer = false;
  const auto data = sample().data(c);
  testing::TempDir dir;
  std::atomic<bool> cancel{false};
  Recorder recorder;
  const auto full = FoldTrainer(c, data, 0, dir.file("fp32.pt")).train(range(0, 380), range(380, 480), recorder, cancel);
  c.model.ngramTablePrecision = config::Precision::Fp16;
  const auto half = FoldTrainer(c, data, 0, dir.file("fp16.pt")).train(range(0, 380), range(380, 480), recorder, cancel);
  ASSERT_EQ(half.status, FoldStatus::Finished) << half.error;
  EXPECT_GT(half.best.accuracy, 0.6);
  EXPECT_LT(std::abs(half.best.accuracy - full.best.accuracy), 0.02);
  EXPECT_LT(std::filesystem::file_size(dir.file("fp16.pt")) * 10, std::filesystem::file_size(dir.file("fp32.pt")) * 7);
  const auto loaded = predictProbabilities(dir.file("fp16.pt"), data, range(380, 480));
  EXPECT_EQ(loaded, half.validationProbabilities) << "the checkpoint is not the model that was scored";
}

INSTANTIATE_TEST_SUITE_P(WithAndWithoutContext, NgramModel, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "context" : "four_parts"; });

}  // namespace
}  // namespace foldbench::train
