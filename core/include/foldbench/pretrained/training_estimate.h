#pragma once
// How long one epoch of fine-tuning a pretrained encoder will take on this machine, before the
// run starts: the work of a training step counted in FLOPs from config.json's sizes, divided by a
// throughput measured here. A rough figure (the window says "about"), good to a factor of ~1.5:
// it counts the encoder's matrix products only (embeddings, softmax, LayerNorm, the optimizer
// step and the classification head are left out) and takes every row at the mean token count.
// Plain C++: the caller measures the throughput (platform::measureSgemm) and passes it in.
#include <cstddef>

#include "foldbench/pretrained/encoder_config.h"

namespace foldbench::pretrained {

// Fine-tuning's share of the sgemm 1024 x 1024 x 1024 rate (platform::measureSgemm(1024)) on CPU.
// Measured with build/bin/foldbench-bench-pretrained ("fine-tune ... GFLOP/s = N% of sgemm 1024"):
// batches of 16 competition sentences (78 tokens on average) through a BERT-base-shaped encoder
// with the entity head and AdamW, 2 threads: 28% before the encoder's load and kernels were tuned,
// 46% after (docs/RESULTS.md, "Pretrained encoders"). The rest goes to the smaller and skinnier
// products of short batches, attention's softmax and the element-wise work.
constexpr double kCpuFineTuneEfficiency = 0.46;

// FLOPs of the encoder's forward pass over one sequence of `tokens` tokens: per token and layer
// 2 * (4 h^2 + 2 h f) for the Q, K, V, output and feed-forward products, plus 4 * tokens * h for
// the attention scores and their weighted sum (h = hidden_size, f = intermediate_size).
double forwardFlops(const EncoderConfig& config, double tokens);
// A training step does the forward pass, then about twice its work backward: 3x forward.
double trainingFlopsPerRow(const EncoderConfig& config, double tokens);
// The rows one fold trains on: rows * (k - 1) / k; with k-fold off (folds <= 1), rows * (1 - valRatio).
double trainRowsPerFold(std::size_t rows, int folds, double valRatio = 0.0);

struct EpochEstimateInput {
  double trainRows = 0;      // rows one fold trains on (trainRowsPerFold)
  double meanTokens = 0;     // tokens per row, as padded in a batch
  double sgemmGflops = 0;    // platform::measureSgemm(1024) here
  double efficiency = kCpuFineTuneEfficiency;
};
// Seconds per epoch of one fold; 0 when the throughput or a count is unknown (zero).
double estimateEpochSeconds(const EncoderConfig& config, const EpochEstimateInput& input);

}  // namespace foldbench::pretrained
