#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "foldbench/data/folds.h"

namespace foldbench::data {
namespace {

// 100 rows of label 0, 40 of label 1, 13 of label 2, 3 of label 3 (rarer than 5 folds), interleaved.
std::vector<int> skewedLabels() {
  std::vector<int> labels;
  for (int i = 0; i < 100; ++i) labels.push_back(0);
  for (int i = 0; i < 40; ++i) labels.push_back(1);
  for (int i = 0; i < 13; ++i) labels.push_back(2);
  for (int i = 0; i < 3; ++i) labels.push_back(3);
  std::rotate(labels.begin(), labels.begin() + 57, labels.end());
  return labels;
}

TEST(StratifiedKFold, FoldsAreDisjointAndCoverEveryRowOnce) {
  const auto labels = skewedLabels();
  const auto folds = stratifiedKFold(labels, {5, 77});
  ASSERT_EQ(folds.size(), 5u);
  std::vector<int> validatedTimes(labels.size(), 0);
  for (const auto& fold : folds) {
    std::set<int> train(fold.train.begin(), fold.train.end());
    EXPECT_EQ(fold.train.size() + fold.validation.size(), labels.size());
    for (int v : fold.validation) {
      EXPECT_FALSE(train.count(v)) << "row " << v << " both in training and validation";
      ++validatedTimes[static_cast<std::size_t>(v)];
    }
  }
  for (int times : validatedTimes) EXPECT_EQ(times, 1);
}

TEST(StratifiedKFold, KeepsClassProportionsAndBalancedSizes) {
  const auto labels = skewedLabels();
  const auto folds = stratifiedKFold(labels, {5, 77});
  std::map<int, int> total;
  for (int l : labels) ++total[l];
  std::size_t smallest = labels.size(), largest = 0;
  for (const auto& fold : folds) {
    std::map<int, int> count;
    for (int v : fold.validation) ++count[labels[static_cast<std::size_t>(v)]];
    for (const auto& [label, n] : total) {
      const double ideal = n / 5.0;
      EXPECT_LE(std::abs(count[label] - ideal), 1.0) << "label " << label;
    }
    smallest = std::min(smallest, fold.validation.size());
    largest = std::max(largest, fold.validation.size());
  }
  EXPECT_LE(largest - smallest, 1u);
}

TEST(StratifiedKFold, DeterministicForASeed) {
  const auto labels = skewedLabels();
  const auto a = stratifiedKFold(labels, {5, 77});
  const auto b = stratifiedKFold(labels, {5, 77});
  const auto c = stratifiedKFold(labels, {5, 78});
  for (std::size_t f = 0; f < a.size(); ++f) EXPECT_EQ(a[f].validation, b[f].validation);
  bool anyDifferent = false;
  for (std::size_t f = 0; f < a.size(); ++f) anyDifferent |= a[f].validation != c[f].validation;
  EXPECT_TRUE(anyDifferent);
}

TEST(StratifiedKFold, RareLabelsSpreadOverDistinctFolds) {
  const auto labels = skewedLabels();
  const auto folds = stratifiedKFold(labels, {5, 77, RareLabelPolicy::Spread});
  std::set<int> foldsWithRare;
  for (std::size_t f = 0; f < folds.size(); ++f)
    for (int v : folds[f].validation)
      if (labels[static_cast<std::size_t>(v)] == 3) EXPECT_TRUE(foldsWithRare.insert(static_cast<int>(f)).second);
  EXPECT_EQ(foldsWithRare.size(), 3u);
}

TEST(StratifiedKFold, RareLabelsCanStayInTraining) {
  const auto labels = skewedLabels();
  const auto folds = stratifiedKFold(labels, {5, 77, RareLabelPolicy::TrainOnly});
  for (const auto& fold : folds) {
    for (int v : fold.validation) EXPECT_NE(labels[static_cast<std::size_t>(v)], 3);
    EXPECT_EQ(std::count_if(fold.train.begin(), fold.train.end(),
                            [&](int r) { return labels[static_cast<std::size_t>(r)] == 3; }),
              3);
  }
}

TEST(StratifiedKFold, RejectsImpossibleSettings) {
  EXPECT_THROW(stratifiedKFold({0, 1, 0}, {1, 1}), std::invalid_argument);
  EXPECT_THROW(stratifiedKFold({0, 1, 0}, {5, 1}), std::invalid_argument);
  EXPECT_THROW(stratifiedKFold({0, -1, 0, 1, 1}, {2, 1}), std::invalid_argument);
}

TEST(StratifiedSplit, TakesTheRatioPerLabelAndKeepsATrainingRow) {
  const auto labels = skewedLabels();
  const auto split = stratifiedSplit(labels, 0.2, 77);
  std::map<int, int> validation;
  for (int v : split.validation) ++validation[labels[static_cast<std::size_t>(v)]];
  EXPECT_EQ(validation[0], 20);
  EXPECT_EQ(validation[1], 8);
  EXPECT_EQ(validation[3], 1);
  EXPECT_EQ(split.train.size() + split.validation.size(), labels.size());
  const auto single = stratifiedSplit({0, 0, 0, 1}, 0.5, 1);
  EXPECT_EQ(std::count(single.train.begin(), single.train.end(), 3), 1) << "a single-row label stays in training";
  EXPECT_THROW(stratifiedSplit(labels, 1.0, 1), std::invalid_argument);
  EXPECT_THROW(stratifiedSplit(labels, 0.0, 1), std::invalid_argument);
}

TEST(AllForTraining, UsesEveryRow) {
  const auto split = allForTraining(4);
  EXPECT_EQ(split.train, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_TRUE(split.validation.empty());
}

TEST(Oversample, RaisesMinorityLabelsInTheTrainingPartOnly) {
  const auto labels = skewedLabels();
  const auto folds = stratifiedKFold(labels, {5, 77});
  const auto& fold = folds[0];
  OversampleOptions options;
  options.minFraction = 0.5;  // at least half of the largest training label
  const auto train = oversample(fold.train, labels, options, 77);
  std::set<int> validation(fold.validation.begin(), fold.validation.end());
  std::set<int> original(fold.train.begin(), fold.train.end());
  std::map<int, int> count;
  for (int r : train) {
    EXPECT_FALSE(validation.count(r)) << "validation row " << r << " leaked into training";
    EXPECT_TRUE(original.count(r));
    ++count[labels[static_cast<std::size_t>(r)]];
  }
  EXPECT_EQ(count[0], 80) << "the largest label is untouched";
  EXPECT_EQ(count[1], 40);
  EXPECT_EQ(count[2], 40);
  EXPECT_EQ(count[3], 40);
  // Duplicates are spread evenly: every row of a minority label appears within one of the others.
  std::map<int, int> copies;
  for (int r : train)
    if (labels[static_cast<std::size_t>(r)] == 2) ++copies[r];
  int lo = 1 << 30, hi = 0;
  for (const auto& [r, n] : copies) lo = std::min(lo, n), hi = std::max(hi, n);
  EXPECT_LE(hi - lo, 1);
}

TEST(Oversample, CountFloorAndDisabledOption) {
  const std::vector<int> labels = {0, 0, 0, 0, 1};
  OversampleOptions options;
  EXPECT_EQ(oversample({0, 1, 2, 3, 4}, labels, options, 1).size(), 5u);
  options.minCount = 3;
  const auto out = oversample({0, 1, 2, 3, 4}, labels, options, 1);
  EXPECT_EQ(std::count(out.begin(), out.end(), 4), 3);
  EXPECT_EQ(out.size(), 7u);
}

}  // namespace
}  // namespace foldbench::data
