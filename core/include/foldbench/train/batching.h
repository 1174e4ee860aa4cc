#pragma once
// Which rows go into which batch. Plain indices; tensors are built by the trainer.
#include <cstdint>
#include <vector>

namespace foldbench::train {

enum class Padding {
  Bucketed,  // shuffle, sort chunks of 50 batches by length, cut, shuffle the batches
  Fixed,     // shuffle and cut; every batch is padded to max_len (the seed's way)
};

// Training batches for one epoch; deterministic for (seed, epoch).
std::vector<std::vector<int>> trainingBatches(const std::vector<int>& rows, const std::vector<int>& lengths,
                                              int batchSize, Padding padding, std::uint64_t seed, int epoch);

// Evaluation batches: rows sorted by length so padding is minimal; order is restored by the caller.
std::vector<std::vector<int>> evaluationBatches(const std::vector<int>& rows, const std::vector<int>& lengths,
                                                int batchSize);

}  // namespace foldbench::train
