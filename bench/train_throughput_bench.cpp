// Training throughput of a 4-layer, 256-wide transformer on the shared competition data:
// examples/s with bucketed vs fixed padding, and achieved GFLOP/s against the machine's
// measured sgemm peak, all in one run.
// Usage: foldbench-bench-train [DIR] [--steps N] [--threads N]
#include <ATen/Parallel.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "foldbench/platform/blas_kernels.h"
#include "batch_builder.h"
#include "classifier.h"
#include "foldbench/data/readers.h"
#include "foldbench/kfold/kfold_runner.h"
#include "foldbench/text/tokenizer.h"
#include "foldbench/train/batching.h"
#include "losses.h"
#include "optimizer.h"

using namespace foldbench;
using Clock = std::chrono::steady_clock;

namespace {

double seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

// Best of several runs of an n x n x n float matrix multiply, in GFLOP/s.
double sgemmPeak(int n) {
  const auto a = torch::randn({n, n}), b = torch::randn({n, n});
  auto c = torch::mm(a, b);
  double best = 0.0;
  for (int round = 0; round < 5; ++round) {
    const int reps = 10;
    const auto t = Clock::now();
    for (int i = 0; i < reps; ++i) c = torch::mm(a, b);
    best = std::max(best, 2.0 * n * n * static_cast<double>(n) * reps / seconds(t) / 1e9);
  }
  return best;
}

struct Throughput {
  double examplesPerSecond = 0, gflops = 0, paddingShare = 0;
};

Throughput measure(const config::ExperimentConfig& config, const train::TrainingData& data, train::Padding padding,
                   int steps) {
  torch::manual_seed(1);
  auto model = model::makeClassifier(config.model, data.vocabSize, data.numLabels, data.maxLen);
  train::TrainingOptimizer optimizer(*model, {}, 0.01);
  optimizer.setLearningRate(1e-4);
  train::BatchBuilder builder(data, false, padding == train::Padding::Fixed, torch::kCPU);
  train::LossSpec loss;
  loss.labelSmoothing = 0.1;
  std::vector<int> rows(data.size());
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<int>(i);
  const auto batches = train::trainingBatches(rows, data.lengths(), config.train.batchSize, padding, 77, 0);
  model->train();
  const int warmup = 3;
  double flops = 0, examples = 0, real = 0, padded = 0;
  Clock::time_point start;
  for (int i = 0; i < warmup + steps; ++i) {
    if (i == warmup) start = Clock::now();
    const auto batch = builder.build(batches[static_cast<std::size_t>(i) % batches.size()]);
    const auto l = train::classificationLoss(model->forward(batch), batch.labels, loss);
    l.backward();
    optimizer.clipGradients(1.0);
    optimizer.step();
    optimizer.zeroGrad();
    if (i >= warmup) {
      flops += 3.0 * model->forwardFlops(batch);  // backward is about twice the forward
      examples += static_cast<double>(batch.rows.size());
      real += static_cast<double>(batch.realTokens);
      padded += static_cast<double>(batch.paddedTokens);
    }
  }
  const double s = seconds(start);
  return {examples / s, flops / s / 1e9, 1.0 - real / padded};
}

}  // namespace

int main(int argc, char** argv) {
  foldbench::platform::chooseBlasKernels(argc, argv);  // may restart the process
  std::string dir = FOLDBENCH_SOURCE_DIR "/../shared/data/klue-re-pstage";
  int steps = 40, threads = 0;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--steps") && i + 1 < argc) steps = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--threads") && i + 1 < argc) threads = std::atoi(argv[++i]);
    else dir = argv[i];
  }
  if (!std::filesystem::exists(dir + "/train.tsv")) {
    std::printf("SKIP: %s/train.tsv not found\n", dir.c_str());
    return 0;
  }
  config::ExperimentConfig config;
  config.data.trainPath = dir + "/train.tsv";
  config.input.format = text::InputFormat::EntityMarkers;
  config.input.maxLen = 128;
  config.model.layers = 4;
  config.model.hidden = 256;
  config.model.heads = 4;
  config.model.feedForward = 1024;
  config.train.batchSize = 32;
  config.train.threads = threads;
  const auto device = train::configureDevice(config.train);

  data::LabelMap labels = data::LabelMap::readFile(dir + "/labels.tsv");
  data::LoadReport report;
  const auto dataset = data::loadDataset(config.data.trainPath, data::DatasetFormat::Auto, labels, {}, report);
  const std::string work = std::filesystem::temp_directory_path() / "foldbench-bench-train";
  std::filesystem::create_directories(work);
  std::vector<std::string> sentences;
  for (const auto& r : dataset.rows) sentences.push_back(r.sentence);
  text::Tokenizer::train(sentences, {}, work + "/spm");
  const auto data = kfold::encodeForRun(config, dataset.rows, labels, work + "/spm.model");

  const double peak = std::max(sgemmPeak(1024), sgemmPeak(2048));
  const auto bucketed = measure(config, data, train::Padding::Bucketed, steps);
  const auto fixed = measure(config, data, train::Padding::Fixed, steps);
  std::printf("device %s, %d threads, torch intra-op threads %d\n", device.device.c_str(), device.threads,
              at::get_num_threads());
  std::printf("model: 4 layers, hidden 256, 4 heads, ffn 1024, batch 32, max_len 128, %d steps each\n", steps);
  std::printf("BLAS                           %s\n", foldbench::platform::blasSummary().c_str());
  std::printf("sgemm peak (1024/2048 mm)      %8.1f GFLOP/s\n", peak);
  std::printf("bucketed padding               %8.1f examples/s  %6.1f GFLOP/s  (%.0f%% of peak, %.0f%% padding)\n",
              bucketed.examplesPerSecond, bucketed.gflops, 100 * bucketed.gflops / peak, 100 * bucketed.paddingShare);
  std::printf("fixed padding (max_len)        %8.1f examples/s  %6.1f GFLOP/s  (%.0f%% of peak, %.0f%% padding)\n",
              fixed.examplesPerSecond, fixed.gflops, 100 * fixed.gflops / peak, 100 * fixed.paddingShare);
  std::printf("bucketed / fixed               %8.2fx examples/s\n", bucketed.examplesPerSecond / fixed.examplesPerSecond);
  std::filesystem::remove_all(work);
  return 0;
}
