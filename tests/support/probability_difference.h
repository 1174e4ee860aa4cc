#pragma once
// The largest absolute difference between two sets of per-row class probabilities of the same
// shape, for tests that bound how far two models' predictions may drift apart.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace foldbench::testing {

inline double largestDifference(const std::vector<std::vector<float>>& a, const std::vector<std::vector<float>>& b) {
  double largest = 0.0;
  for (std::size_t r = 0; r < std::min(a.size(), b.size()); ++r)
    for (std::size_t k = 0; k < std::min(a[r].size(), b[r].size()); ++k)
      largest = std::max(largest, static_cast<double>(std::abs(a[r][k] - b[r][k])));
  return largest;
}

}  // namespace foldbench::testing
