#include <gtest/gtest.h>

#include <cmath>

#include "foldbench/analysis/significance.h"
#include "foldbench/sweep/racing.h"

namespace foldbench::sweep {
namespace {

tracker::TrialRecord finished(int number, std::vector<double> byFold) {
  tracker::TrialRecord t;
  t.trial = number;
  t.status = tracker::TrialStatus::Finished;
  double sum = 0.0;
  for (std::size_t f = 0; f < byFold.size(); ++f) {
    t.scores.push_back({static_cast<int>(f), byFold[f]});
    sum += byFold[f];
  }
  t.mean = sum / static_cast<double>(byFold.size());
  return t;
}

TEST(Racing, TTestPrunesAClearLoserAfterTwoFoldsAsComputedByHand) {
  const auto incumbent = finished(1, {0.70, 0.72, 0.69, 0.71, 0.70});
  // The trial trained folds 3 and 0 (its own order): paired with 0.71 and 0.70.
  const std::vector<tracker::FoldScore> trial = {{3, 0.41}, {0, 0.42}};
  // By hand: differences -0.30 and -0.28, mean -0.29, sample variance 0.0002; k = 5 so the
  // correction is 1/2 + 1/4; se = sqrt(0.75 * 0.0002) = 0.012247, t = -23.68 with 1 degree
  // of freedom: two-sided p = (2/pi) atan(1/23.68) = 0.02687, one-sided 0.01343.
  RacingRule rule;
  rule.test = RaceTest::TTest;
  rule.alpha = 0.1;
  const auto verdict = judge(rule, trial, incumbent, 5);
  EXPECT_EQ(verdict.folds, 2);
  EXPECT_NEAR(verdict.meanDifference, -0.29, 1e-12);
  EXPECT_NEAR(verdict.pValue, 0.01343, 2e-4);
  EXPECT_TRUE(verdict.prune);
  EXPECT_NE(verdict.reason.find("worse than trial 1 on 2 folds"), std::string::npos) << verdict.reason;
  rule.alpha = 0.01;
  EXPECT_FALSE(judge(rule, trial, incumbent, 5).prune) << "p = 0.0134 is not below 0.01";
}

TEST(Racing, NeverPrunesBeforeMinFoldsNorATrialThatIsAhead) {
  const auto incumbent = finished(2, {0.70, 0.72, 0.69, 0.71, 0.70});
  RacingRule rule;
  rule.minFolds = 3;
  EXPECT_FALSE(judge(rule, {{0, 0.10}, {1, 0.10}}, incumbent, 5).prune) << "two folds, min_folds 3";
  rule.minFolds = 2;
  EXPECT_FALSE(judge(rule, {{0, 0.10}}, incumbent, 5).prune) << "one fold is no paired test";
  const auto ahead = judge(rule, {{0, 0.75}, {1, 0.76}}, incumbent, 5);
  EXPECT_FALSE(ahead.prune);
  EXPECT_GT(ahead.meanDifference, 0.0);
  rule.test = RaceTest::None;
  EXPECT_FALSE(judge(rule, {{0, 0.10}, {1, 0.10}, {2, 0.1}}, incumbent, 5).prune) << "racing off";
}

TEST(Racing, WilcoxonNeedsFourFoldsAllWorseAtAlphaPointOne) {
  const auto incumbent = finished(1, {0.70, 0.72, 0.69, 0.71, 0.70});
  RacingRule rule;
  rule.test = RaceTest::Wilcoxon;
  rule.alpha = 0.1;
  // Three worse folds: the exact one-sided p is 1/8, however large the differences.
  const auto three = judge(rule, {{0, 0.1}, {1, 0.1}, {2, 0.1}}, incumbent, 5);
  EXPECT_NEAR(three.pValue, 0.125, 1e-12);
  EXPECT_FALSE(three.prune);
  const auto four = judge(rule, {{0, 0.1}, {1, 0.1}, {2, 0.1}, {3, 0.1}}, incumbent, 5);
  EXPECT_NEAR(four.pValue, 1.0 / 16, 1e-12);
  EXPECT_TRUE(four.prune);
}

TEST(Significance, SignedRankExactValuesByEnumeration) {
  // b - a = {-1, -2, -3, +4}: ranks 1..4, W+ = 4; P(W+ <= 4) over 16 sign patterns:
  // sums 0,1,2,3,3,4,4 (patterns {}, {1}, {2}, {3}, {1,2}, {4}, {1,3}) = 7/16.
  const auto t = analysis::wilcoxonSignedRank({0, 0, 0, 0}, {-1, -2, -3, 4});
  EXPECT_EQ(t.pairs, 4);
  EXPECT_DOUBLE_EQ(t.positiveRankSum, 4.0);
  EXPECT_NEAR(t.pValueLess, 7.0 / 16, 1e-12);
  // Zero differences are dropped; ties share their mean rank.
  const auto ties = analysis::wilcoxonSignedRank({1, 1, 1}, {1, 2, 0});
  EXPECT_EQ(ties.pairs, 2);
  EXPECT_DOUBLE_EQ(ties.positiveRankSum, 1.5);
  EXPECT_NEAR(ties.pValueLess, 0.75, 1e-12);
  // Above 20 pairs, the normal approximation agrees with all-worse being very unlikely.
  std::vector<double> a(30, 1.0), b(30);
  for (int i = 0; i < 30; ++i) b[static_cast<std::size_t>(i)] = 1.0 - 0.01 * (i + 1);
  EXPECT_LT(analysis::wilcoxonSignedRank(a, b).pValueLess, 1e-5);
}

TEST(Racing, TheIncumbentIsTheBestTrialThatFinishedEveryFold) {
  std::vector<tracker::TrialRecord> trials = {finished(1, {0.6, 0.6, 0.6}), finished(2, {0.7, 0.7, 0.7}),
                                              finished(3, {0.9, 0.9}), finished(4, {0.7, 0.7, 0.7})};
  trials[2].status = tracker::TrialStatus::Running;
  auto pruned = finished(5, {0.95, 0.95, 0.95});
  pruned.status = tracker::TrialStatus::Pruned;
  trials.push_back(pruned);
  const auto best = incumbentOf(trials, 3);
  ASSERT_TRUE(best);
  EXPECT_EQ(best->trial, 2) << "ties go to the earlier trial; running and pruned trials never lead";
  EXPECT_FALSE(incumbentOf({finished(1, {0.6, 0.6})}, 3));
}

}  // namespace
}  // namespace foldbench::sweep
