// Reference values: Student t probabilities from a separate Simpson integration of the t
// density (not the incomplete beta used here), closed forms for 1 and 2 degrees of freedom,
// textbook quantiles, and McNemar counts worked by hand.
#include "foldbench/analysis/significance.h"

#include <gtest/gtest.h>

#include <cmath>

namespace foldbench::analysis {
namespace {

TEST(StudentT, MatchesClosedFormsAndTables) {
  EXPECT_NEAR(studentTTwoSidedP(1.0, 1), 0.5, 1e-12);                          // Cauchy: P(|T|>1) = 1/2
  EXPECT_NEAR(studentTTwoSidedP(2.0, 2), 1.0 - 2.0 / std::sqrt(6.0), 1e-12);  // 1 - t / sqrt(2 + t^2)
  EXPECT_NEAR(studentTTwoSidedP(2.228138851986274, 10), 0.05, 1e-9);
  EXPECT_NEAR(studentTTwoSidedP(0.0, 7), 1.0, 1e-12);
  EXPECT_NEAR(studentTQuantile(0.975, 4), 2.776445105, 1e-7);
  EXPECT_NEAR(studentTQuantile(0.975, 10), 2.228138852, 1e-7);
  EXPECT_NEAR(studentTQuantile(0.025, 10), -2.228138852, 1e-7);
  EXPECT_NEAR(studentTQuantile(0.95, 1), 6.313751515, 1e-6);
}

TEST(IncompleteBeta, SymmetryAndEnds) {
  EXPECT_EQ(regularizedIncompleteBeta(2.0, 3.0, 0.0), 0.0);
  EXPECT_EQ(regularizedIncompleteBeta(2.0, 3.0, 1.0), 1.0);
  EXPECT_NEAR(regularizedIncompleteBeta(2.5, 1.5, 0.3) + regularizedIncompleteBeta(1.5, 2.5, 0.7), 1.0, 1e-12);
  EXPECT_NEAR(regularizedIncompleteBeta(1.0, 1.0, 0.37), 0.37, 1e-12);  // the uniform distribution
}

TEST(CorrectedTTest, WorkedExampleOfFiveFolds) {
  const std::vector<double> a = {0.70, 0.72, 0.68, 0.71, 0.69};
  const std::vector<double> b = {0.72, 0.75, 0.69, 0.74, 0.70};
  // d = .02 .03 .01 .03 .01: mean .02, variance 1e-4; corrected se = sqrt((1/5 + 1/4) * 1e-4).
  const auto r = correctedResampledTTest(a, b, 1.0 / 4.0);
  EXPECT_EQ(r.folds, 5);
  EXPECT_EQ(r.degreesOfFreedom, 4);
  EXPECT_NEAR(r.meanDifference, 0.02, 1e-12);
  EXPECT_NEAR(r.t, 2.9814239699997196, 1e-9);
  EXPECT_NEAR(r.pValue, 0.0406815258, 1e-7);
  EXPECT_NEAR(r.confidence.low, 0.0013750400, 1e-8);
  EXPECT_NEAR(r.confidence.high, 0.0386249600, 1e-8);
  // Without the correction the same folds look far more certain: the correction must bite.
  const auto plain = correctedResampledTTest(a, b, 0.0);
  EXPECT_NEAR(plain.t, 0.02 / std::sqrt(1e-4 / 5.0), 1e-9);
  EXPECT_LT(plain.pValue, r.pValue);
}

TEST(CorrectedTTest, SymmetricAndDegenerateCases) {
  const std::vector<double> a = {0.5, 0.6, 0.55};
  const std::vector<double> b = {0.52, 0.59, 0.6};
  const auto ab = correctedResampledTTest(a, b, 0.5);
  const auto ba = correctedResampledTTest(b, a, 0.5);
  EXPECT_NEAR(ab.t, -ba.t, 1e-12);
  EXPECT_NEAR(ab.pValue, ba.pValue, 1e-12);
  EXPECT_EQ(correctedResampledTTest(a, a, 0.5).pValue, 1.0);
  const auto shifted = correctedResampledTTest(a, {0.6, 0.7, 0.65}, 0.5);
  EXPECT_EQ(shifted.pValue, 0.0);
  EXPECT_THROW(correctedResampledTTest({0.5}, {0.6}, 0.5), std::invalid_argument);
  EXPECT_THROW(correctedResampledTTest(a, {0.5, 0.6}, 0.5), std::invalid_argument);
}

TEST(McNemar, ExactBinomialForFewDisagreements) {
  // 1 vs 9 disagreements: p = 2 * (C(10,0) + C(10,1)) / 2^10 = 22 / 1024.
  const auto r = mcnemarTest(1, 9);
  EXPECT_TRUE(r.exact);
  EXPECT_NEAR(r.pValue, 22.0 / 1024.0, 1e-12);
  EXPECT_NEAR(mcnemarTest(5, 5).pValue, 1.0, 1e-12);
  EXPECT_EQ(mcnemarTest(0, 0).pValue, 1.0);
  EXPECT_NEAR(mcnemarTest(0, 6).pValue, 2.0 / 64.0, 1e-12);
}

TEST(McNemar, ChiSquareWithContinuityCorrectionForMany) {
  // 10 vs 30: (|10 - 30| - 1)^2 / 40 = 9.025, one degree of freedom.
  const auto r = mcnemarTest(10, 30);
  EXPECT_FALSE(r.exact);
  EXPECT_NEAR(r.statistic, 9.025, 1e-12);
  EXPECT_NEAR(r.pValue, 0.002663119259, 1e-10);
}

TEST(McNemar, CountsDisagreementsFromPairedRows) {
  const std::vector<bool> a = {true, true, false, false, true, false};
  const std::vector<bool> b = {true, false, true, true, true, false};
  const auto r = mcnemarTest(a, b);
  EXPECT_EQ(r.onlyA, 1);
  EXPECT_EQ(r.onlyB, 2);
  EXPECT_THROW(mcnemarTest(a, {true}), std::invalid_argument);
}

TEST(PairedBootstrap, IntervalAroundTheDifference) {
  std::vector<bool> a(400), b(400);
  for (int i = 0; i < 400; ++i) {
    a[i] = i % 10 < 7;             // 70%
    b[i] = i % 10 < 7 || i % 20 == 7;  // 75%: B fixes one row in twenty
  }
  const auto r = pairedBootstrap(a, b, 4000);
  EXPECT_NEAR(r.difference, 0.05, 1e-12);
  // Gains are 0/1 with p = .05: normal interval .05 +- 1.96 * sqrt(.05 * .95 / 400).
  const double halfWidth = 1.96 * std::sqrt(0.05 * 0.95 / 400.0);
  EXPECT_NEAR(r.confidence.low, 0.05 - halfWidth, 0.01);
  EXPECT_NEAR(r.confidence.high, 0.05 + halfWidth, 0.01);
  EXPECT_GT(r.confidence.low, 0.0);
  const auto again = pairedBootstrap(a, b, 4000);
  EXPECT_EQ(again.confidence.low, r.confidence.low);  // deterministic for the seed
  const auto same = pairedBootstrap(a, a, 500);
  EXPECT_EQ(same.confidence.low, 0.0);
  EXPECT_EQ(same.confidence.high, 0.0);
}

}  // namespace
}  // namespace foldbench::analysis
