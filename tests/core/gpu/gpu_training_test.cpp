// Training on a CUDA device, checked against the CPU (ctest label `gpu`). Every test needs a CUDA
// device: where torch sees none (every CI machine) it skips and says why; with
// FOLDBENCH_REQUIRE_CUDA=1 (scripts/device-check.sh) it fails instead, so a CUDA build that lost
// its GPU (a driver problem, libtorch_cuda dropped by --as-needed) cannot pass by skipping.
//
// Tolerances: the CPU and cuBLAS sum in different orders, so fp32 results agree to about 1e-6
// relative; the bounds below leave a factor of 10-100 over that. Dropout is off where the two
// devices are compared: the CPU draws its masks with fastDropout, CUDA with torch's dropout.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "batch_builder.h"
#include "checkpoint.h"
#include "classifier.h"
#include "foldbench/data/sample_generator.h"
#include "foldbench/kfold/kfold_runner.h"
#include "foldbench/train/fold_trainer.h"
#include "losses.h"
#include "optimizer.h"
#include "probability_difference.h"
#include "sample_tokenizer.h"
#include "temp_dir.h"

namespace foldbench::train {
namespace {

bool cudaRequired() {
  const char* required = std::getenv("FOLDBENCH_REQUIRE_CUDA");
  return required && std::string(required) == "1";
}

#define SKIP_WITHOUT_CUDA()                                                                       \
  do {                                                                                            \
    if (!torch::cuda::is_available()) {                                                           \
      if (cudaRequired()) FAIL() << "FOLDBENCH_REQUIRE_CUDA=1, but torch sees no CUDA device";    \
      GTEST_SKIP() << "no CUDA device (torch::cuda::is_available() is false)";                   \
    }                                                                                             \
  } while (false)

const torch::Device kCuda(torch::kCUDA, 0);

config::ExperimentConfig tinyConfig(const std::string& family) {
  config::ExperimentConfig c;
  c.data.trainPath = "sample";
  c.input.format = text::InputFormat::EntityMarkers;
  c.input.maxLen = 48;
  c.model.family = enumFromString<config::ModelFamily>(family);
  c.model.layers = 1;
  c.model.hidden = 32;
  c.model.heads = 2;
  c.model.feedForward = 64;
  c.model.ngramBucketsLog2 = 14;
  c.model.ngramDim = 16;
  c.model.mlpHidden = 32;
  c.model.dropout = c.model.attentionDropout = c.model.headDropout = 0.0;
  c.train.labelSmoothing = 0.0;
  return c;
}

bool isNgram(const config::ExperimentConfig& c) { return c.model.family == config::ModelFamily::Ngram; }

TrainingData encoded(const config::ExperimentConfig& c) {
  static const auto sample = data::generateSample();
  return kfold::encodeForRun(c, sample.train.rows, sample.labels, testing::sampleTokenizer().modelPath());
}

std::vector<int> range(int from, int to) {
  std::vector<int> r;
  for (int i = from; i < to; ++i) r.push_back(i);
  return r;
}

// The same seed gives the same initial weights: they are drawn on the CPU, before any move.
std::shared_ptr<model::ClassifierModule> freshModel(const config::ExperimentConfig& c, const TrainingData& d,
                                                    torch::Device device) {
  torch::manual_seed(11);
  auto m = model::makeClassifier(c.model, d.vocabSize, d.numLabels, d.maxLen);
  m->to(device);
  return m;
}

// Class probabilities of `rows` in one batch, on `device`, without autocast.
std::vector<std::vector<float>> probabilities(model::ClassifierModule& m, const config::ExperimentConfig& c,
                                              const TrainingData& d, const std::vector<int>& rows, torch::Device device) {
  torch::NoGradGuard noGrad;
  m.eval();
  const BatchBuilder builder(d, isNgram(c), false, device);
  const auto probs = torch::softmax(m.forward(builder.build(rows)).to(torch::kFloat), 1).to(torch::kCPU).contiguous();
  std::vector<std::vector<float>> out(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const float* p = probs[static_cast<long>(r)].data_ptr<float>();
    out[r].assign(p, p + probs.size(1));
  }
  return out;
}

double largestAbs(const torch::Tensor& t) { return t.abs().max().item<double>(); }

// ---- (a) one training step on CUDA computes what the same step computes on the CPU ----

struct StepOutcome {
  double lossBefore = 0.0, lossAfter = 0.0;
  std::map<std::string, torch::Tensor> gradients;  // dense, on the CPU
  std::map<std::string, torch::Tensor> parameters;  // after the step, on the CPU
};

StepOutcome oneStep(const config::ExperimentConfig& c, const TrainingData& d, torch::Device device) {
  auto m = freshModel(c, d, device);
  m->train();
  TrainingOptimizer optimizer(*m, m->sparseParameters(), c.train.weightDecay);
  const BatchBuilder builder(d, isNgram(c), false, device);
  const auto batch = builder.build(range(0, 32));
  const LossSpec ce{};
  StepOutcome out;
  auto loss = classificationLoss(m->forward(batch), batch.labels, ce);
  out.lossBefore = loss.item<double>();
  loss.backward();
  for (const auto& p : m->named_parameters()) {
    const auto g = p.value().grad();
    if (g.defined()) out.gradients[p.key()] = (g.is_sparse() ? g.to_dense() : g).to(torch::kCPU).clone();
  }
  optimizer.setLearningRate(1e-3);
  optimizer.clipGradients(1.0);
  optimizer.step();
  optimizer.zeroGrad();
  torch::NoGradGuard noGrad;
  for (const auto& p : m->named_parameters()) out.parameters[p.key()] = p.value().to(torch::kCPU).clone();
  out.lossAfter = classificationLoss(m->forward(batch), batch.labels, ce).item<double>();
  return out;
}

class CudaTrainingStep : public ::testing::TestWithParam<std::string> {};

TEST_P(CudaTrainingStep, MatchesTheSameStepOnTheCpu) {
  SKIP_WITHOUT_CUDA();
  const auto c = tinyConfig(GetParam());
  const auto data = encoded(c);
  const auto cpu = oneStep(c, data, torch::kCPU);
  const auto gpu = oneStep(c, data, kCuda);

  // Loss: 1e-5 relative.
  EXPECT_NEAR(gpu.lossBefore, cpu.lossBefore, 1e-5 * std::max(1.0, std::abs(cpu.lossBefore)));
  // Gradients: within 1e-4 of the largest gradient of the model, entry by entry.
  ASSERT_EQ(gpu.gradients.size(), cpu.gradients.size());
  double largest = 0.0;
  for (const auto& [name, g] : cpu.gradients) largest = std::max(largest, largestAbs(g));
  ASSERT_GT(largest, 0.0) << "no gradient reached the parameters: the test proves nothing";
  for (const auto& [name, g] : cpu.gradients) {
    ASSERT_TRUE(gpu.gradients.count(name)) << name;
    EXPECT_LE(largestAbs(gpu.gradients.at(name) - g), 1e-4 * largest) << name;
  }
  // After the first AdamW step (lr 1e-3) every entry has moved by g / (|g| + eps) * lr, at most
  // lr: one whose gradient is about 0 may move either way on the two devices, so entries differ
  // by at most 2 lr, and on average by far less (1e-6). The loss after the step: 1e-4 relative.
  double differenceSum = 0.0, entries = 0.0;
  for (const auto& [name, p] : cpu.parameters) {
    const auto difference = (gpu.parameters.at(name) - p).abs();
    EXPECT_LE(difference.max().item<double>(), 2e-3) << name;
    differenceSum += difference.sum().item<double>();
    entries += static_cast<double>(p.numel());
  }
  EXPECT_LT(differenceSum / entries, 1e-6);
  EXPECT_NEAR(gpu.lossAfter, cpu.lossAfter, 1e-4 * std::max(1.0, std::abs(cpu.lossAfter)));
  EXPECT_LT(cpu.lossAfter, cpu.lossBefore) << "the step did not lower the loss: the test proves little";
}

INSTANTIATE_TEST_SUITE_P(EveryFamily, CudaTrainingStep, ::testing::Values("transformer", "ngram"));

// ---- (b) a checkpoint written from a model trained on CUDA moves between devices ----

class CudaCheckpoint : public ::testing::TestWithParam<std::string> {};

TEST_P(CudaCheckpoint, LoadsOnTheCpuAndOnCudaAndPredictsTheSame) {
  SKIP_WITHOUT_CUDA();
  auto c = tinyConfig(GetParam());
  c.train.device = config::Device::Cuda;
  c.train.precision = config::Precision::Fp32;  // predictProbabilities below scores on CUDA, without autocast
  const auto data = encoded(c);
  auto trained = freshModel(c, data, kCuda);
  TrainingOptimizer optimizer(*trained, trained->sparseParameters(), 0.01);
  {
    const BatchBuilder builder(data, isNgram(c), false, kCuda);
    optimizer.setLearningRate(1e-2);
    trained->train();
    for (int b = 0; b < 8; ++b) {
      const auto batch = builder.build(range(16 * b, 16 * b + 16));
      classificationLoss(trained->forward(batch), batch.labels, LossSpec{}).backward();
      optimizer.step();
      optimizer.zeroGrad();
    }
  }
  const auto rows = range(200, 300);
  const auto scored = probabilities(*trained, c, data, rows, kCuda);

  testing::TempDir dir;
  CheckpointState state;
  state.epoch = 1;
  state.numLabels = data.numLabels;
  state.vocabSize = data.vocabSize;
  state.maxLen = data.maxLen;
  state.configJson = config::toJson(c);
  const auto path = dir.file("cuda.pt");
  saveCheckpoint(path, *trained, &optimizer, state, &optimizer);

  // On the CPU, as an export machine without a GPU reads it: the devices' rounding apart.
  auto onCpu = model::makeClassifier(c.model, data.vocabSize, data.numLabels, data.maxLen, /*initialise=*/false);
  CheckpointReader(path).loadInto(*onCpu, nullptr);
  EXPECT_LT(testing::largestDifference(probabilities(*onCpu, c, data, rows, torch::kCPU), scored), 1e-4);

  // Back on CUDA, the same batch: the numbers the trained model gave.
  auto onCuda = model::makeClassifier(c.model, data.vocabSize, data.numLabels, data.maxLen, /*initialise=*/false);
  CheckpointReader(path).loadInto(*onCuda, nullptr);
  onCuda->to(kCuda);
  EXPECT_LT(testing::largestDifference(probabilities(*onCuda, c, data, rows, kCuda), scored), 1e-6);

  // What export and predict run (read onto the CPU, scored on CUDA, in length-sorted batches of
  // another shape): float rounding apart.
  EXPECT_LT(testing::largestDifference(predictProbabilities(path, data, rows), scored), 1e-5);

  // Resuming on CUDA, as FoldTrainer::restore does: load into the CUDA model, move, re-attach.
  auto resumed = freshModel(c, data, kCuda);
  TrainingOptimizer resumedOptimizer(*resumed, resumed->sparseParameters(), 0.01);
  CheckpointReader(path).loadInto(*resumed, &resumedOptimizer);
  resumed->to(kCuda);
  resumedOptimizer.attach();
  const auto step = [&](model::ClassifierModule& m, TrainingOptimizer& o) {
    const BatchBuilder builder(data, isNgram(c), false, kCuda);
    const auto batch = builder.build(range(128, 160));
    m.train();
    classificationLoss(m.forward(batch), batch.labels, LossSpec{}).backward();
    o.setLearningRate(1e-2);
    o.step();
    o.zeroGrad();
  };
  step(*trained, optimizer);
  step(*resumed, resumedOptimizer);
  const auto before = trained->named_parameters(), after = resumed->named_parameters();
  ASSERT_EQ(before.size(), after.size());
  for (const auto& p : before) {
    ASSERT_TRUE(after[p.key()].is_cuda()) << p.key() << " did not return to CUDA";
    EXPECT_LE(largestAbs(after[p.key()].to(torch::kCPU) - p.value().to(torch::kCPU)), 1e-6) << p.key();
  }
}

INSTANTIATE_TEST_SUITE_P(EveryFamily, CudaCheckpoint, ::testing::Values("transformer", "ngram"));

// ---- (c) mixed precision (train.precision) trains ----

struct Recorder : TrainingObserver {
  std::vector<StepEvent> steps;
  std::vector<EpochEvent> epochs;
  void onStep(const StepEvent& e) override { steps.push_back(e); }
  void onEpoch(const EpochEvent& e) override { epochs.push_back(e); }
};

struct Trained {
  FoldResult result;
  Recorder recorder;
};

Trained trainOnCuda(config::ExperimentConfig c, const TrainingData& data, const std::string& precision) {
  c.train.precision = enumFromString<config::Precision>(precision);
  testing::TempDir dir;
  Trained t;
  std::atomic<bool> cancel{false};
  t.result = FoldTrainer(c, data, 0, dir.file("best.pt")).train(range(0, 320), range(320, 480), t.recorder, cancel);
  return t;
}

class CudaMixedPrecision : public ::testing::TestWithParam<std::pair<std::string, std::string>> {};

TEST_P(CudaMixedPrecision, LossFallsAndStaysFinite) {
  SKIP_WITHOUT_CUDA();
  const auto& [family, precision] = GetParam();
  auto c = tinyConfig(family);
  c.train.device = config::Device::Cuda;
  c.train.epochs = 6;
  c.train.batchSize = 16;
  c.train.learningRate = family == "ngram" ? 2e-2 : 3e-3;
  c.train.scheduler = config::Scheduler::Constant;
  c.train.warmupRatio = 0.0;
  c.train.logEverySteps = 1;
  auto asked = c.train;
  asked.precision = enumFromString<config::Precision>(precision);
  EXPECT_EQ(configureDevice(asked).device, "cuda:0");
  EXPECT_EQ(nameOf(configureDevice(asked).precision), precision);
  const auto data = encoded(c);

  const auto mixed = trainOnCuda(c, data, precision);
  ASSERT_EQ(mixed.result.status, FoldStatus::Finished) << mixed.result.error;
  ASSERT_EQ(mixed.recorder.epochs.size(), 6u);
  for (const auto& s : mixed.recorder.steps) ASSERT_TRUE(std::isfinite(s.loss)) << "step " << s.step;
  for (const auto& e : mixed.recorder.epochs) {
    ASSERT_TRUE(std::isfinite(e.trainLoss)) << "epoch " << e.epoch;
    ASSERT_TRUE(std::isfinite(e.validation.loss)) << "epoch " << e.epoch;
  }
  const double first = mixed.recorder.epochs.front().trainLoss, last = mixed.recorder.epochs.back().trainLoss;
  EXPECT_LT(last, 0.8 * first) << precision << ": train loss " << first << " -> " << last;

  // The same run in fp32: autocast must have changed the numbers (else it never ran), and the
  // mixed run must end near the fp32 loss (within 0.1 or 25%, whichever is larger).
  const auto full = trainOnCuda(c, data, "fp32");
  ASSERT_EQ(full.result.status, FoldStatus::Finished) << full.result.error;
  EXPECT_NE(mixed.recorder.steps.front().loss, full.recorder.steps.front().loss)
      << precision << " gave the fp32 loss to the last bit: autocast did not run";
  const double fullLast = full.recorder.epochs.back().trainLoss;
  EXPECT_NEAR(last, fullLast, std::max(0.1, 0.25 * fullLast));
  std::printf("[ figures  ] %s %s: train loss %.4f -> %.4f (fp32 %.4f -> %.4f), val acc %.4f (fp32 %.4f)\n",
              family.c_str(), precision.c_str(), first, last, full.recorder.epochs.front().trainLoss,
              fullLast, mixed.result.best.accuracy, full.result.best.accuracy);
}

INSTANTIATE_TEST_SUITE_P(Precisions, CudaMixedPrecision,
                         ::testing::Values(std::pair<std::string, std::string>{"transformer", "bf16"},
                                           std::pair<std::string, std::string>{"transformer", "fp16"},
                                           std::pair<std::string, std::string>{"ngram", "bf16"}),
                         [](const auto& info) { return info.param.first + "_" + info.param.second; });

}  // namespace
}  // namespace foldbench::train
