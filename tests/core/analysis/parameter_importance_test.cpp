// Parameter importance by a random forest's out-of-bag permutation importance.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <random>

#include "foldbench/analysis/parameter_importance.h"

namespace foldbench::analysis {
namespace {

// `count` trials of uniform numeric parameters in [0, 1).
std::vector<std::vector<double>> uniformTrials(std::size_t count, std::size_t parameters, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<std::vector<double>> trials(count, std::vector<double>(parameters));
  for (auto& t : trials)
    for (auto& v : t) v = u(rng);
  return trials;
}

std::vector<ParameterColumn> numeric(std::size_t count) {
  std::vector<ParameterColumn> columns;
  for (std::size_t p = 0; p < count; ++p) columns.push_back({"x" + std::to_string(p), ParameterKind::Numeric, 0});
  return columns;
}

void expectShares(const ParameterImportance& r, std::size_t count) {
  ASSERT_EQ(r.importance.size(), count);
  double total = 0.0;
  for (double v : r.importance) {
    EXPECT_TRUE(std::isfinite(v));
    EXPECT_GE(v, 0.0);
    total += v;
  }
  EXPECT_NEAR(total, 1.0, 1e-12);
}

TEST(ParameterImportance, AScoreOfOneParameterGivesItMostOfTheImportance) {
  const auto trials = uniformTrials(200, 4, 1);
  std::vector<double> scores;
  for (const auto& t : trials) scores.push_back(std::sin(6.0 * t[0]));  // not monotone
  const auto r = parameterImportance(numeric(4), trials, scores);
  expectShares(r, 4);
  EXPECT_TRUE(r.explained);
  EXPECT_GT(r.importance[0], 0.9);
  EXPECT_GT(r.outOfBagR2, 0.8);
}

TEST(ParameterImportance, TwoEquallyImportantParametersGetSimilarShares) {
  const auto trials = uniformTrials(300, 4, 2);
  std::vector<double> scores;
  for (const auto& t : trials) scores.push_back(t[1] + t[3]);
  const auto r = parameterImportance(numeric(4), trials, scores);
  expectShares(r, 4);
  EXPECT_GT(r.importance[1], 0.35);
  EXPECT_GT(r.importance[3], 0.35);
  EXPECT_NEAR(r.importance[1], r.importance[3], 0.12);
  EXPECT_LT(r.importance[0] + r.importance[2], 0.1);
  // Twice the effect, about four times the squared-error increase.
  std::vector<double> unequal;
  for (const auto& t : trials) unequal.push_back(2.0 * t[1] + t[3]);
  const auto u = parameterImportance(numeric(4), trials, unequal);
  EXPECT_GT(u.importance[1], 2.5 * u.importance[3]);
}

TEST(ParameterImportance, CategoricalAndLogScaleParametersWork) {
  // lr on a log scale (1e-5 .. 1e-1) matters through its exponent: best near 1e-3. The loss, one
  // of four categories, matters too; the dropout not at all.
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> exponent(-5.0, -1.0), u(0.0, 1.0);
  std::uniform_int_distribution<int> loss(0, 3);
  const double lossEffect[] = {0.0, 0.3, -0.2, 0.05};
  std::vector<std::vector<double>> trials;
  std::vector<double> scores;
  for (int t = 0; t < 400; ++t) {
    const double e = exponent(rng);
    const int l = loss(rng);
    trials.push_back({std::pow(10.0, e), static_cast<double>(l), u(rng)});
    scores.push_back(-0.1 * (e + 3.0) * (e + 3.0) + lossEffect[l]);
  }
  const std::vector<ParameterColumn> columns = {
      {"train.lr", ParameterKind::LogNumeric, 0}, {"train.loss", ParameterKind::Categorical, 4}, {"dropout", ParameterKind::Numeric, 0}};
  const auto r = parameterImportance(columns, trials, scores);
  expectShares(r, 3);
  EXPECT_GT(r.importance[0], 0.2);
  EXPECT_GT(r.importance[1], 0.2);
  EXPECT_LT(r.importance[2], 0.05);
  // The loss alone: the categorical parameter takes almost everything.
  std::vector<double> lossOnly;
  for (const auto& t : trials) lossOnly.push_back(lossEffect[static_cast<int>(t[1])]);
  EXPECT_GT(parameterImportance(columns, trials, lossOnly).importance[1], 0.95);
}

TEST(ParameterImportance, ConstantScoresAndTooFewTrialsGiveEqualShares) {
  const auto trials = uniformTrials(50, 3, 4);
  const auto constant = parameterImportance(numeric(3), trials, std::vector<double>(50, 0.71));
  expectShares(constant, 3);
  EXPECT_FALSE(constant.explained);
  for (double v : constant.importance) EXPECT_DOUBLE_EQ(v, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(constant.outOfBagR2, 0.0);
  const auto few = parameterImportance(numeric(3), {{0.1, 0.2, 0.3}, {0.4, 0.5, 0.6}}, {0.5, 0.9});
  expectShares(few, 3);
  EXPECT_FALSE(few.explained);
  EXPECT_TRUE(parameterImportance(numeric(0), {{}, {}, {}, {}, {}}, {1, 2, 3, 4, 5}).importance.empty());
}

TEST(ParameterImportance, TheSameSeedGivesTheSameResult) {
  const auto trials = uniformTrials(120, 3, 5);
  std::vector<double> scores;
  for (const auto& t : trials) scores.push_back(t[0] * t[1] + 0.1 * t[2]);
  ImportanceOptions options;
  options.seed = 42;
  const auto a = parameterImportance(numeric(3), trials, scores, options);
  const auto b = parameterImportance(numeric(3), trials, scores, options);
  EXPECT_EQ(a.importance, b.importance);
  EXPECT_EQ(a.outOfBagR2, b.outOfBagR2);
  options.seed = 43;
  EXPECT_NE(parameterImportance(numeric(3), trials, scores, options).importance, a.importance);
}

TEST(ParameterImportance, RefusesValuesItCannotSplitOn) {
  const std::vector<ParameterColumn> log = {{"lr", ParameterKind::LogNumeric, 0}};
  EXPECT_THROW(parameterImportance(log, {{0.1}, {0.0}, {0.2}, {0.3}}, {1, 2, 3, 4}), std::invalid_argument);
  const std::vector<ParameterColumn> cat = {{"loss", ParameterKind::Categorical, 2}};
  EXPECT_THROW(parameterImportance(cat, {{0}, {1}, {2}, {1}}, {1, 2, 3, 4}), std::invalid_argument);
  EXPECT_THROW(parameterImportance(cat, {{0}, {1}, {0.5}, {1}}, {1, 2, 3, 4}), std::invalid_argument);
  EXPECT_THROW(parameterImportance(numeric(2), {{0.1, 0.2}, {0.3}}, {1, 2}), std::invalid_argument);
  EXPECT_THROW(parameterImportance(numeric(1), {{0.1}, {0.3}}, {1}), std::invalid_argument);
}

}  // namespace
}  // namespace foldbench::analysis
