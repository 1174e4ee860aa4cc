#include "foldbench/train/batching.h"

#include <algorithm>
#include <random>
#include <stdexcept>

#include "foldbench/data/random.h"

namespace foldbench::train {

namespace {
constexpr std::size_t kBatchesPerBucket = 50;

std::vector<std::vector<int>> cut(const std::vector<int>& rows, std::size_t batchSize) {
  std::vector<std::vector<int>> batches;
  for (std::size_t i = 0; i < rows.size(); i += batchSize)
    batches.emplace_back(rows.begin() + static_cast<long>(i),
                         rows.begin() + static_cast<long>(std::min(rows.size(), i + batchSize)));
  return batches;
}
}  // namespace

std::vector<std::vector<int>> trainingBatches(const std::vector<int>& rows, const std::vector<int>& lengths,
                                              int batchSize, Padding padding, std::uint64_t seed, int epoch) {
  if (batchSize < 1) throw std::invalid_argument("batch size must be positive");
  std::mt19937_64 rng(seed * 1000003ULL + static_cast<std::uint64_t>(epoch));
  std::vector<int> order = rows;
  data::seededShuffle(order, rng);
  const auto size = static_cast<std::size_t>(batchSize);
  if (padding == Padding::Fixed) return cut(order, size);
  std::vector<std::vector<int>> batches;
  const std::size_t chunk = size * kBatchesPerBucket;
  for (std::size_t i = 0; i < order.size(); i += chunk) {
    std::vector<int> part(order.begin() + static_cast<long>(i),
                          order.begin() + static_cast<long>(std::min(order.size(), i + chunk)));
    std::stable_sort(part.begin(), part.end(), [&](int a, int b) {
      return lengths[static_cast<std::size_t>(a)] < lengths[static_cast<std::size_t>(b)];
    });
    for (auto& b : cut(part, size)) batches.push_back(std::move(b));
  }
  data::seededShuffle(batches, rng);
  return batches;
}

std::vector<std::vector<int>> evaluationBatches(const std::vector<int>& rows, const std::vector<int>& lengths,
                                                int batchSize) {
  std::vector<int> order = rows;
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return lengths[static_cast<std::size_t>(a)] < lengths[static_cast<std::size_t>(b)];
  });
  return cut(order, static_cast<std::size_t>(std::max(1, batchSize)));
}

}  // namespace foldbench::train
