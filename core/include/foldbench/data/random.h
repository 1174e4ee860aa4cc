#pragma once
// Portable seeded shuffling: std::shuffle and std::uniform_int_distribution differ between
// standard libraries, and folds must be the same for a seed everywhere.
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace foldbench::data {

// Uniform integer in [0, bound) by rejection, identical on every platform.
inline std::uint64_t uniformBelow(std::mt19937_64& rng, std::uint64_t bound) {
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  std::uint64_t x;
  do x = rng();
  while (x >= limit);
  return x % bound;
}

template <typename T>
void seededShuffle(std::vector<T>& items, std::mt19937_64& rng) {
  for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[uniformBelow(rng, i)]);
}

}  // namespace foldbench::data
