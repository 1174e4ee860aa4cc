// Greedy forward selection with replacement: hand-checked rounds, ties, sorted initialisation,
// and the incremental selector against a naive one that recomputes the whole vote.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "foldbench/ensemble/greedy_selection.h"

namespace foldbench::ensemble {
namespace {

// Two classes, every row's gold is class 1; a member's row is {0.5 - d, 0.5 + d}. Row kinds
// (d of A, B, C): T1 (+0.3, -0.1, -0.4) x2, T2 (-0.1, +0.35, -0.4) x2, T3 (+0.2, -0.3, -0.4) x1.
// Right rows by hand: A 3/5, B 2/5, C 0; A+B 4/5 (T3 lost); 2A+B 5/5; A+2B 4/5; A+B+C 0.
struct Library {
  std::vector<Probabilities> members{3};
  std::vector<int> gold;
};

Library handLibrary() {
  Library lib;
  const std::vector<std::vector<float>> kinds = {{0.3f, -0.1f, -0.4f}, {-0.1f, 0.35f, -0.4f}, {0.2f, -0.3f, -0.4f}};
  for (int kind : {0, 0, 1, 1, 2}) {
    for (std::size_t m = 0; m < 3; ++m) lib.members[m].push_back({0.5f - kinds[kind][m], 0.5f + kinds[kind][m]});
    lib.gold.push_back(1);
  }
  return lib;
}

TEST(GreedySelection, AddsTheBestMemberEachRoundWithReplacementAndKeepsTheBestPrefix) {
  const auto lib = handLibrary();
  GreedyOptions options;
  options.rounds = 10;
  options.patience = 0;  // run all ten rounds: later ones do not beat 5/5, so the prefix ends at round 3
  const auto s = greedySelect(lib.members, lib.gold, FitMetric::Accuracy, -1, options);
  ASSERT_EQ(s.trace.size(), 10u);
  EXPECT_DOUBLE_EQ(s.trace[0], 0.6);  // A alone
  EXPECT_DOUBLE_EQ(s.trace[1], 0.8);  // + B (2A would stay at 0.6)
  EXPECT_DOUBLE_EQ(s.trace[2], 1.0);  // + A again: 2A+B beats A+2B (0.8)
  EXPECT_EQ(s.order, (std::vector<std::size_t>{0, 1, 0}));
  EXPECT_EQ(s.counts, (std::vector<int>{2, 1, 0}));
  EXPECT_DOUBLE_EQ(s.score, 1.0);
  // The counts as weights decide the rows as the selection scored them.
  EXPECT_EQ(decide(softVote(lib.members, selectionWeights(s.counts))), lib.gold);
  EXPECT_EQ(selectionWeights(s.counts), (std::vector<double>{2.0 / 3.0, 1.0 / 3.0, 0.0}));
}

TEST(GreedySelection, StopsAfterPatienceRoundsWithoutImprovement) {
  const auto lib = handLibrary();
  GreedyOptions options;
  options.rounds = 50;
  options.patience = 2;
  const auto s = greedySelect(lib.members, lib.gold, FitMetric::Accuracy, -1, options);
  EXPECT_EQ(s.trace.size(), 5u);  // best at round 3, then two rounds without improvement
  EXPECT_EQ(s.counts, (std::vector<int>{2, 1, 0}));
}

TEST(GreedySelection, TiesGoToTheLowestIndexAndTheShortestPrefix) {
  // X and Y are equally good alone (each right on one row of two) and together worse (both
  // rows go to class 0: 1.1 vs 0.9, 1.05 vs 0.95).
  const Probabilities x = {{0.2f, 0.8f}, {0.7f, 0.3f}}, y = {{0.9f, 0.1f}, {0.35f, 0.65f}};
  const std::vector<int> gold = {1, 1};
  GreedyOptions options;
  options.rounds = 5;
  options.patience = 0;
  const auto xy = greedySelect({x, y}, gold, FitMetric::Accuracy, -1, options);
  EXPECT_EQ(xy.order, std::vector<std::size_t>{0});
  EXPECT_EQ(xy.counts, (std::vector<int>{1, 0}));
  EXPECT_DOUBLE_EQ(xy.score, 0.5);
  const auto yx = greedySelect({y, x}, gold, FitMetric::Accuracy, -1, options);
  EXPECT_EQ(yx.counts, (std::vector<int>{1, 0})) << "the first listed wins a tie, whichever it is";
  const auto again = greedySelect({x, y}, gold, FitMetric::Accuracy, -1, options);
  EXPECT_EQ(again.order, xy.order);
  EXPECT_EQ(again.trace, xy.trace);
}

TEST(GreedySelection, SortedInitialisationStartsWithTheBestMembersOnce) {
  const auto lib = handLibrary();
  GreedyOptions options;
  options.initialBest = 3;
  options.rounds = 5;
  const auto s = greedySelect(lib.members, lib.gold, FitMetric::Accuracy, -1, options);
  ASSERT_GE(s.order.size(), 3u);
  EXPECT_EQ(std::vector<std::size_t>(s.order.begin(), s.order.begin() + 3), (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_DOUBLE_EQ(s.trace[0], 0.6);
  EXPECT_DOUBLE_EQ(s.trace[1], 0.8);
  EXPECT_DOUBLE_EQ(s.trace[2], 0.0);  // A+B+C: C drags every row to class 0
  EXPECT_EQ(s.counts[2], 1) << "initial members stay; C is never worth adding again";
  // Only initial members, no rounds: the best two by their own score.
  options.initialBest = 2;
  options.rounds = 0;
  EXPECT_EQ(greedySelect(lib.members, lib.gold, FitMetric::Accuracy, -1, options).counts, (std::vector<int>{1, 1, 0}));
  options.initialBest = 0;
  EXPECT_THROW(greedySelect(lib.members, lib.gold, FitMetric::Accuracy, -1, options), std::invalid_argument);
}

// The selection as the paper states it: each round, every candidate's whole vote recomputed.
GreedySelection naiveSelect(const std::vector<Probabilities>& members, const std::vector<int>& gold, FitMetric metric,
                            int noRelation, int rounds) {
  GreedySelection out;
  std::vector<int> counts(members.size(), 0);
  std::vector<std::size_t> added;
  double best = -1.0;
  std::size_t bestLength = 0;
  for (int round = 0; round < rounds; ++round) {
    double roundBest = -1.0;
    std::size_t pick = 0;
    for (std::size_t m = 0; m < members.size(); ++m) {
      ++counts[m];
      const std::vector<double> w(counts.begin(), counts.end());
      const double s = scoreOf(metric, decide(softVote(members, w)), gold, noRelation);
      --counts[m];
      if (s > roundBest) roundBest = s, pick = m;
    }
    ++counts[pick];
    added.push_back(pick);
    out.trace.push_back(roundBest);
    if (roundBest > best) best = roundBest, bestLength = added.size();
  }
  out.order.assign(added.begin(), added.begin() + static_cast<std::ptrdiff_t>(bestLength));
  out.score = best;
  return out;
}

TEST(GreedySelection, TheIncrementalSelectorChoosesAsTheNaiveOne) {
  // Peaked random probabilities, so that many rows' leads outgrow any one addition (the
  // selector decides those once per round) while others stay open; some rows unlabelled.
  std::mt19937 rng(7);
  std::normal_distribution<float> logit(0.0f, 2.0f);
  const std::size_t members = 7, rows = 300, classes = 5;
  std::vector<Probabilities> library(members);
  std::vector<int> gold;
  std::uniform_int_distribution<int> label(-1, static_cast<int>(classes) - 1);
  for (std::size_t r = 0; r < rows; ++r) gold.push_back(label(rng));
  for (std::size_t m = 0; m < members; ++m)
    for (std::size_t r = 0; r < rows; ++r) {
      std::vector<float> p(classes);
      float total = 0.0f;
      for (std::size_t c = 0; c < classes; ++c) {
        // Each member leans toward the gold class with its own strength.
        const float bias = gold[r] == static_cast<int>(c) ? 0.4f * static_cast<float>(m) : 0.0f;
        p[c] = std::exp(logit(rng) + bias);
        total += p[c];
      }
      for (float& v : p) v /= total;
      library[m].push_back(p);
    }
  for (FitMetric metric : {FitMetric::Accuracy, FitMetric::RelationMicroF1}) {
    GreedyOptions options;
    options.rounds = 25;
    options.patience = 0;
    const auto fast = greedySelect(library, gold, metric, 0, options);
    const auto naive = naiveSelect(library, gold, metric, 0, options.rounds);
    EXPECT_EQ(fast.order, naive.order) << fitMetricName(metric);
    ASSERT_EQ(fast.trace.size(), naive.trace.size());
    for (std::size_t i = 0; i < fast.trace.size(); ++i) EXPECT_NEAR(fast.trace[i], naive.trace[i], 1e-12) << i;
    EXPECT_NEAR(fast.score, scoreOf(metric, decide(softVote(library, selectionWeights(fast.counts))), gold, 0), 1e-12);
    EXPECT_GT(fast.order.size(), 1u);
  }
}

TEST(GreedySelection, RefusesMismatchedInputs) {
  const auto lib = handLibrary();
  EXPECT_THROW(greedySelect({}, lib.gold), std::invalid_argument);
  EXPECT_THROW(greedySelect(lib.members, {1, 1}), std::invalid_argument);
  EXPECT_THROW(selectionWeights({0, 0}), std::invalid_argument);
}

}  // namespace
}  // namespace foldbench::ensemble
