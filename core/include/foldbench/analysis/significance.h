#pragma once
// Tests for "is run B really better than run A?", on paired fold scores and paired
// out-of-fold predictions. Plain C++; every p-value is two-sided.
#include <cstdint>
#include <vector>

namespace foldbench::analysis {

struct Interval {
  double low = 0.0, high = 0.0;
};

// Nadeau and Bengio's corrected resampled t-test (as in Weka's Experimenter). The plain
// paired t-test over cross-validation folds is too eager because the training sets overlap;
// the variance is inflated by testTrainRatio (n_test / n_train, 1/(k-1) for k-fold).
struct CorrectedTTest {
  int folds = 0;
  double meanDifference = 0.0;  // mean of b - a
  double t = 0.0;
  int degreesOfFreedom = 0;
  double pValue = 1.0;
  Interval confidence;  // of the mean difference, at `level`
  double level = 0.95;
};
CorrectedTTest correctedResampledTTest(const std::vector<double>& a, const std::vector<double>& b,
                                       double testTrainRatio, double level = 0.95);

// Wilcoxon's signed-rank test on paired scores, one-sided: the probability, when a and b do not
// differ, of a sum of positive ranks of b - a as small as the one observed (small: b is
// worse). Zero differences are dropped and tied ones share their mean rank. Exact (every
// assignment of signs) up to 20 pairs, the normal approximation above.
struct SignedRankTest {
  int pairs = 0;                  // non-zero differences
  double positiveRankSum = 0.0;   // W+
  double pValueLess = 1.0;
};
SignedRankTest wilcoxonSignedRank(const std::vector<double>& a, const std::vector<double>& b);

// McNemar's test on paired predictions of the same rows. `onlyA` counts rows A got right and B
// wrong, `onlyB` the reverse. Exact binomial below 25 disagreements, else chi-square with
// continuity correction.
struct McNemarTest {
  std::int64_t onlyA = 0, onlyB = 0;
  bool exact = true;
  double statistic = 0.0;  // chi-square; 0 when exact
  double pValue = 1.0;
};
McNemarTest mcnemarTest(const std::vector<bool>& correctA, const std::vector<bool>& correctB);
McNemarTest mcnemarTest(std::int64_t onlyA, std::int64_t onlyB);

// Paired bootstrap of the accuracy difference (B - A): rows resampled with replacement,
// percentile interval. Deterministic for a seed.
struct BootstrapInterval {
  double difference = 0.0;  // on the original rows
  Interval confidence;
  double level = 0.95;
  int resamples = 0;
};
BootstrapInterval pairedBootstrap(const std::vector<bool>& correctA, const std::vector<bool>& correctB,
                                  int resamples = 2000, double level = 0.95, std::uint64_t seed = 20261129);

// Distribution helpers, exposed for testing.
double studentTTwoSidedP(double t, int degreesOfFreedom);
double studentTQuantile(double probability, int degreesOfFreedom);
double regularizedIncompleteBeta(double a, double b, double x);

}  // namespace foldbench::analysis
