#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "foldbench/train/batching.h"
#include "foldbench/train/metrics.h"

namespace foldbench::train {
namespace {

TEST(Metrics, AccuracyAndMicroF1WithoutNoRelation) {
  // gold:      0 1 2 1 0 2
  // predicted: 0 1 1 0 2 2
  const std::vector<int> gold = {0, 1, 2, 1, 0, 2}, predicted = {0, 1, 1, 0, 2, 2};
  EXPECT_DOUBLE_EQ(accuracy(predicted, gold), 3.0 / 6.0);
  // Without class 0: predicted positives 4 (1,1,2,2), gold positives 4, true positives 2 -> P = R = 0.5.
  EXPECT_DOUBLE_EQ(microF1WithoutNoRelation(predicted, gold, 0), 0.5);
  // Precision 2/3, recall 2/4 when one positive prediction becomes no-relation.
  EXPECT_NEAR(microF1WithoutNoRelation({0, 1, 0, 0, 2, 2}, gold, 0), 2 * (2.0 / 3) * 0.5 / (2.0 / 3 + 0.5), 1e-12);
  EXPECT_DOUBLE_EQ(microF1WithoutNoRelation(predicted, gold, -1), accuracy(predicted, gold));
  EXPECT_DOUBLE_EQ(microF1WithoutNoRelation({0, 0}, {1, 2}, 0), 0.0);
  // Unlabelled rows (gold -1) count neither way: a relation predicted for one is no false positive.
  EXPECT_DOUBLE_EQ(microF1WithoutNoRelation({1, 2, 2}, {1, -1, 2}, 0), 1.0);
  EXPECT_THROW(accuracy({1}, {1, 2}), std::invalid_argument);
  EXPECT_EQ(argmaxRows({{0.1f, 0.7f, 0.2f}, {0.5f, 0.2f, 0.3f}}), (std::vector<int>{1, 0}));
}

std::vector<int> someLengths(int n) {
  std::vector<int> lengths;
  for (int i = 0; i < n; ++i) lengths.push_back(10 + (i * 37) % 110);
  return lengths;
}

long paddedTokens(const std::vector<std::vector<int>>& batches, const std::vector<int>& lengths) {
  long total = 0;
  for (const auto& b : batches) {
    int longest = 0;
    for (int r : b) longest = std::max(longest, lengths[static_cast<std::size_t>(r)]);
    total += longest * static_cast<long>(b.size());
  }
  return total;
}

TEST(Batching, EveryRowOnceAndDeterministicPerEpoch) {
  const auto lengths = someLengths(1000);
  std::vector<int> rows(1000);
  for (int i = 0; i < 1000; ++i) rows[static_cast<std::size_t>(i)] = i;
  for (Padding p : {Padding::Bucketed, Padding::Fixed}) {
    const auto a = trainingBatches(rows, lengths, 32, p, 7, 0);
    std::multiset<int> seen;
    for (const auto& b : a) {
      EXPECT_LE(b.size(), 32u);
      seen.insert(b.begin(), b.end());
    }
    EXPECT_EQ(seen, std::multiset<int>(rows.begin(), rows.end()));
    EXPECT_EQ(a, trainingBatches(rows, lengths, 32, p, 7, 0));
    EXPECT_NE(a, trainingBatches(rows, lengths, 32, p, 7, 1)) << "each epoch is shuffled anew";
  }
}

TEST(Batching, BucketsCutPaddingAndStillShuffle) {
  const auto lengths = someLengths(3200);
  std::vector<int> rows(3200);
  for (int i = 0; i < 3200; ++i) rows[static_cast<std::size_t>(i)] = i;
  const auto bucketed = trainingBatches(rows, lengths, 32, Padding::Bucketed, 7, 0);
  const auto plain = trainingBatches(rows, lengths, 32, Padding::Fixed, 7, 0);
  EXPECT_LT(paddedTokens(bucketed, lengths) * 10, paddedTokens(plain, lengths) * 7);
  // Batch lengths are not sorted across the epoch: buckets are shuffled.
  std::vector<int> firstLengths;
  for (const auto& b : bucketed) firstLengths.push_back(lengths[static_cast<std::size_t>(b.front())]);
  EXPECT_FALSE(std::is_sorted(firstLengths.begin(), firstLengths.end()));
}

TEST(Batching, EvaluationBatchesAreSortedByLength) {
  const auto lengths = someLengths(100);
  std::vector<int> rows = {5, 3, 9, 50, 7, 1};
  const auto batches = evaluationBatches(rows, lengths, 4);
  ASSERT_EQ(batches.size(), 2u);
  std::vector<int> flat;
  for (const auto& b : batches) flat.insert(flat.end(), b.begin(), b.end());
  EXPECT_TRUE(std::is_sorted(flat.begin(), flat.end(), [&](int a, int b) {
    return lengths[static_cast<std::size_t>(a)] < lengths[static_cast<std::size_t>(b)];
  }));
}

}  // namespace
}  // namespace foldbench::train
