#pragma once
// Which rows go into which batch. Plain indices; tensors are built by the trainer.
#include <cstdint>
#include <vector>

#include "foldbench/config/choices.h"

namespace foldbench::train {

using Padding = config::Padding;  // train.padding: Bucketed or Fixed

// Training batches for one epoch; deterministic for (seed, epoch).
std::vector<std::vector<int>> trainingBatches(const std::vector<int>& rows, const std::vector<int>& lengths,
                                              int batchSize, Padding padding, std::uint64_t seed, int epoch);

// Evaluation batches: rows sorted by length so padding is minimal; order is restored by the caller.
std::vector<std::vector<int>> evaluationBatches(const std::vector<int>& rows, const std::vector<int>& lengths,
                                                int batchSize);

}  // namespace foldbench::train
