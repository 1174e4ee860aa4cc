#include <gtest/gtest.h>

#include "foldbench/ensemble/voting.h"

namespace foldbench::ensemble {
namespace {

// Three members, two rows, three classes.
const std::vector<Probabilities> kMembers = {
    {{0.6f, 0.3f, 0.1f}, {0.2f, 0.5f, 0.3f}},
    {{0.1f, 0.8f, 0.1f}, {0.3f, 0.3f, 0.4f}},
    {{0.5f, 0.1f, 0.4f}, {0.1f, 0.2f, 0.7f}},
};

TEST(Voting, SoftVoteIsTheMean) {
  const auto p = softVote(kMembers);
  EXPECT_NEAR(p[0][0], 0.4f, 1e-6);
  EXPECT_NEAR(p[0][1], 0.4f, 1e-6);
  EXPECT_NEAR(p[1][2], 1.4f / 3, 1e-6);
  EXPECT_EQ(decide(p)[1], 2);
}

TEST(Voting, WeightedSoftVote) {
  const auto p = softVote(kMembers, {0.0, 1.0, 1.0});
  EXPECT_NEAR(p[0][0], 0.3f, 1e-6);
  EXPECT_NEAR(p[0][1], 0.45f, 1e-6);
  EXPECT_THROW(softVote(kMembers, {1.0}), std::invalid_argument);
  EXPECT_THROW(softVote(kMembers, {0.0, 0.0, 0.0}), std::invalid_argument);
}

TEST(Voting, HardVoteTakesTheMajorityAndBreaksTiesByMeanProbability) {
  // Row 0: votes 0, 1, 0 -> class 0. Row 1: votes 1, 2, 2 -> class 2.
  EXPECT_EQ(hardVote(kMembers), (std::vector<int>{0, 2}));
  // A three-way tie (0, 1, 2): the mean probabilities are 0.4, 0.4, 0.2 for row 0 of kMembers'
  // first three... use two members that disagree: votes 0 and 1, means 0.35 vs 0.55 -> class 1.
  const std::vector<Probabilities> tie = {{{0.6f, 0.4f, 0.0f}}, {{0.1f, 0.7f, 0.2f}}};
  EXPECT_EQ(hardVote(tie), std::vector<int>{1});
  const std::vector<Probabilities> tie2 = {{{0.9f, 0.1f, 0.0f}}, {{0.4f, 0.5f, 0.1f}}};
  EXPECT_EQ(hardVote(tie2), std::vector<int>{0}) << "means 0.65 vs 0.30";
}

TEST(Voting, ClassBiasShiftsDecisions) {
  const Probabilities p = {{0.45f, 0.55f}, {0.3f, 0.7f}};
  EXPECT_EQ(decide(p), (std::vector<int>{1, 1}));
  EXPECT_EQ(decide(p, {0.2, 0.0}), (std::vector<int>{0, 1}));
  // Gold says class 0 for the first row: a bias on class 0 between 0.1 and 0.4 fixes it.
  const double bias = fitClassBias(p, {0, 1}, 0);
  EXPECT_GT(bias, 0.1);
  EXPECT_LT(bias, 0.4);
  EXPECT_DOUBLE_EQ(fitClassBias(p, {1, 1}, 0), 0.0) << "no bias when none helps";
}

TEST(Voting, FittedWeightsBeatOrEqualUniform) {
  // Member 0 is right on every row, member 1 is confidently wrong on most: uniform loses rows.
  const std::vector<int> gold = {0, 1, 0, 1, 0, 1};
  const std::vector<Probabilities> members = {
      {{0.6f, 0.4f}, {0.4f, 0.6f}, {0.6f, 0.4f}, {0.4f, 0.6f}, {0.6f, 0.4f}, {0.4f, 0.6f}},
      {{0.1f, 0.9f}, {0.9f, 0.1f}, {0.1f, 0.9f}, {0.9f, 0.1f}, {0.6f, 0.4f}, {0.4f, 0.6f}},
  };
  const double uniform = accuracyOf(decide(softVote(members)), gold);
  const auto weights = fitWeights(members, gold);
  const double fitted = accuracyOf(decide(softVote(members, weights)), gold);
  EXPECT_GE(fitted, uniform);
  EXPECT_DOUBLE_EQ(fitted, 1.0);
  EXPECT_GT(weights[0], weights[1]);
  EXPECT_NEAR(weights[0] + weights[1], 1.0, 1e-12);
}

TEST(Voting, AccuracyIgnoresUnlabelledRows) {
  EXPECT_DOUBLE_EQ(accuracyOf({1, 2, 3}, {1, -1, 0}), 0.5);
  EXPECT_EQ(parseVote("weighted"), Vote::Weighted);
  EXPECT_THROW(parseVote("rank"), std::invalid_argument);
}

TEST(Voting, RunWeightNamesRoundTrip) {
  for (auto w : {RunWeights::Fitted, RunWeights::ValidationMean, RunWeights::Greedy}) EXPECT_EQ(parseRunWeights(runWeightsName(w)), w);
  EXPECT_EQ(parseRunWeights("oof"), RunWeights::Fitted);
  EXPECT_THROW(parseRunWeights("value"), std::invalid_argument);
}

}  // namespace
}  // namespace foldbench::ensemble
