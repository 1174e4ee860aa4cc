#include "foldbench/analysis/significance.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

#include "foldbench/data/random.h"

namespace foldbench::analysis {

namespace {

// The continued fraction of the incomplete beta function, evaluated with Lentz's method.
double betaContinuedFraction(double a, double b, double x) {
  constexpr double tiny = 1e-300;
  double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::fabs(d) < tiny) d = tiny;
  d = 1.0 / d;
  double result = d;
  for (int m = 1; m <= 500; ++m) {
    const double twoM = 2.0 * m;
    const double even = m * (b - m) * x / ((a + twoM - 1.0) * (a + twoM));
    d = 1.0 + even * d;
    c = 1.0 + even / c;
    if (std::fabs(d) < tiny) d = tiny;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    result *= d * c;
    const double odd = -(a + m) * (a + b + m) * x / ((a + twoM) * (a + twoM + 1.0));
    d = 1.0 + odd * d;
    c = 1.0 + odd / c;
    if (std::fabs(d) < tiny) d = tiny;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    const double step = d * c;
    result *= step;
    if (std::fabs(step - 1.0) < 1e-15) break;
  }
  return result;
}

double mean(const std::vector<double>& v) {
  double sum = 0.0;
  for (double x : v) sum += x;
  return sum / static_cast<double>(v.size());
}

}  // namespace

double regularizedIncompleteBeta(double a, double b, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double logFront = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  // The fraction converges fast only below the mean; use the symmetry I_x(a,b) = 1 - I_{1-x}(b,a) above it.
  if (x < (a + 1.0) / (a + b + 2.0)) return std::exp(logFront) * betaContinuedFraction(a, b, x) / a;
  return 1.0 - std::exp(logFront) * betaContinuedFraction(b, a, 1.0 - x) / b;
}

double studentTTwoSidedP(double t, int df) {
  if (df <= 0) throw std::invalid_argument("a t distribution needs at least one degree of freedom");
  if (std::isinf(t)) return 0.0;
  const double v = static_cast<double>(df);
  return regularizedIncompleteBeta(v / 2.0, 0.5, v / (v + t * t));
}

double studentTQuantile(double probability, int df) {
  if (!(probability > 0.0 && probability < 1.0)) throw std::invalid_argument("a quantile needs 0 < p < 1");
  if (probability == 0.5) return 0.0;
  const bool upper = probability > 0.5;
  const double tail = upper ? 1.0 - probability : probability;  // one-sided tail to reach
  double low = 0.0, high = 1.0;
  while (studentTTwoSidedP(high, df) / 2.0 > tail) high *= 2.0;
  for (int i = 0; i < 200 && high - low > 1e-12 * std::max(1.0, high); ++i) {
    const double mid = (low + high) / 2.0;
    if (studentTTwoSidedP(mid, df) / 2.0 > tail) low = mid;
    else high = mid;
  }
  const double t = (low + high) / 2.0;
  return upper ? t : -t;
}

CorrectedTTest correctedResampledTTest(const std::vector<double>& a, const std::vector<double>& b, double testTrainRatio,
                                       double level) {
  if (a.size() != b.size()) throw std::invalid_argument("the runs have different numbers of folds");
  if (a.size() < 2) throw std::invalid_argument("a t-test needs at least two paired folds");
  if (!(level > 0.0 && level < 1.0)) throw std::invalid_argument("the confidence level must lie between 0 and 1");
  CorrectedTTest r;
  r.folds = static_cast<int>(a.size());
  r.level = level;
  r.degreesOfFreedom = r.folds - 1;
  std::vector<double> d(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) d[i] = b[i] - a[i];
  r.meanDifference = mean(d);
  double squares = 0.0;
  for (double x : d) squares += (x - r.meanDifference) * (x - r.meanDifference);
  const double variance = squares / static_cast<double>(r.degreesOfFreedom);
  const double standardError = std::sqrt((1.0 / r.folds + testTrainRatio) * variance);
  const double critical = studentTQuantile(0.5 + level / 2.0, r.degreesOfFreedom);
  r.confidence = {r.meanDifference - critical * standardError, r.meanDifference + critical * standardError};
  if (standardError == 0.0) {
    // Every fold moved by the same amount: no evidence either way if it is zero, else certain.
    r.t = r.meanDifference == 0.0 ? 0.0 : std::copysign(INFINITY, r.meanDifference);
    r.pValue = r.meanDifference == 0.0 ? 1.0 : 0.0;
    return r;
  }
  r.t = r.meanDifference / standardError;
  r.pValue = studentTTwoSidedP(r.t, r.degreesOfFreedom);
  return r;
}

McNemarTest mcnemarTest(std::int64_t onlyA, std::int64_t onlyB) {
  McNemarTest r;
  r.onlyA = onlyA;
  r.onlyB = onlyB;
  const std::int64_t n = onlyA + onlyB;
  if (n == 0) return r;
  r.exact = n < 25;
  if (r.exact) {
    // Two-sided exact binomial: twice the smaller tail of Bin(n, 1/2), in logs for large n.
    const std::int64_t k = std::min(onlyA, onlyB);
    double tail = 0.0;
    for (std::int64_t i = 0; i <= k; ++i)
      tail += std::exp(std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0) - n * std::log(2.0));
    r.pValue = std::min(1.0, 2.0 * tail);
    return r;
  }
  const double diff = std::fabs(static_cast<double>(onlyA - onlyB)) - 1.0;
  r.statistic = std::max(0.0, diff) * std::max(0.0, diff) / static_cast<double>(n);
  r.pValue = std::erfc(std::sqrt(r.statistic / 2.0));  // chi-square with one degree of freedom
  return r;
}

McNemarTest mcnemarTest(const std::vector<bool>& correctA, const std::vector<bool>& correctB) {
  if (correctA.size() != correctB.size()) throw std::invalid_argument("McNemar's test needs the same rows for both runs");
  std::int64_t onlyA = 0, onlyB = 0;
  for (std::size_t i = 0; i < correctA.size(); ++i) {
    onlyA += correctA[i] && !correctB[i];
    onlyB += !correctA[i] && correctB[i];
  }
  return mcnemarTest(onlyA, onlyB);
}

BootstrapInterval pairedBootstrap(const std::vector<bool>& correctA, const std::vector<bool>& correctB, int resamples,
                                  double level, std::uint64_t seed) {
  if (correctA.size() != correctB.size()) throw std::invalid_argument("the bootstrap needs the same rows for both runs");
  if (correctA.empty()) throw std::invalid_argument("the bootstrap needs at least one row");
  if (resamples < 10) throw std::invalid_argument("the bootstrap needs at least 10 resamples");
  // Per row, B's gain over A: -1, 0 or +1; the accuracy difference is their mean.
  const std::size_t n = correctA.size();
  std::vector<int> gain(n);
  long total = 0;
  for (std::size_t i = 0; i < n; ++i) total += gain[i] = static_cast<int>(correctB[i]) - static_cast<int>(correctA[i]);
  BootstrapInterval r;
  r.level = level;
  r.resamples = resamples;
  r.difference = static_cast<double>(total) / static_cast<double>(n);
  std::mt19937_64 rng(seed);
  std::vector<double> differences(static_cast<std::size_t>(resamples));
  for (auto& d : differences) {
    long sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += gain[data::uniformBelow(rng, n)];
    d = static_cast<double>(sum) / static_cast<double>(n);
  }
  std::sort(differences.begin(), differences.end());
  const auto at = [&](double q) {
    const double position = q * static_cast<double>(resamples - 1);
    const auto lo = static_cast<std::size_t>(std::floor(position));
    const auto hi = std::min(lo + 1, differences.size() - 1);
    return differences[lo] + (position - static_cast<double>(lo)) * (differences[hi] - differences[lo]);
  };
  r.confidence = {at((1.0 - level) / 2.0), at(1.0 - (1.0 - level) / 2.0)};
  return r;
}

SignedRankTest wilcoxonSignedRank(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) throw std::invalid_argument("the signed-rank test needs paired scores of equal count");
  std::vector<double> d;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (b[i] - a[i] != 0.0) d.push_back(b[i] - a[i]);
  SignedRankTest test;
  test.pairs = static_cast<int>(d.size());
  if (d.empty()) return test;
  std::vector<std::size_t> order(d.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return std::fabs(d[x]) < std::fabs(d[y]); });
  std::vector<double> rank(d.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && std::fabs(d[order[j + 1]]) == std::fabs(d[order[i]])) ++j;
    for (std::size_t k = i; k <= j; ++k) rank[order[k]] = (static_cast<double>(i + j) / 2.0) + 1.0;
    i = j + 1;
  }
  for (std::size_t i = 0; i < d.size(); ++i)
    if (d[i] > 0) test.positiveRankSum += rank[i];
  const std::size_t n = d.size();
  if (n <= 20) {
    // Every sign assignment is equally likely under the null; ranks are halves at worst.
    std::uint64_t atMost = 0;
    const std::uint64_t total = std::uint64_t{1} << n;
    for (std::uint64_t mask = 0; mask < total; ++mask) {
      double sum = 0.0;
      for (std::size_t i = 0; i < n; ++i)
        if (mask >> i & 1U) sum += rank[i];
      if (sum <= test.positiveRankSum + 1e-9) ++atMost;
    }
    test.pValueLess = static_cast<double>(atMost) / static_cast<double>(total);
  } else {
    const double nn = static_cast<double>(n);
    const double mean = nn * (nn + 1) / 4.0;
    double variance = 0.0;
    for (double r : rank) variance += r * r;
    variance /= 4.0;
    const double z = (test.positiveRankSum - mean + 0.5) / std::sqrt(variance);
    test.pValueLess = 0.5 * std::erfc(-z / std::sqrt(2.0));
  }
  return test;
}

}  // namespace foldbench::analysis
