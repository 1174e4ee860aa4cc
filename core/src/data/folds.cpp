#include "foldbench/data/folds.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "foldbench/data/random.h"

namespace foldbench::data {

namespace {

std::map<int, std::vector<int>> rowsByLabel(const std::vector<int>& labels) {
  std::map<int, std::vector<int>> groups;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] < 0) throw std::invalid_argument("row " + std::to_string(i) + " has no label id");
    groups[labels[i]].push_back(static_cast<int>(i));
  }
  return groups;
}

}  // namespace

std::vector<FoldSplit> stratifiedKFold(const std::vector<int>& labels, const FoldOptions& options) {
  if (options.folds < 2) throw std::invalid_argument("k-fold needs at least 2 folds");
  if (labels.size() < static_cast<std::size_t>(options.folds))
    throw std::invalid_argument("k-fold needs at least as many rows as folds (" + std::to_string(labels.size()) +
                                " rows, " + std::to_string(options.folds) + " folds)");
  const auto k = static_cast<std::size_t>(options.folds);
  std::mt19937_64 rng(options.seed);
  std::vector<int> foldOf(labels.size(), -1);  // -1: training in every fold
  std::vector<std::size_t> foldSize(k, 0);

  // Largest labels first, so the small ones fill the gaps the big ones leave.
  auto groups = rowsByLabel(labels);
  std::vector<std::pair<int, std::vector<int>>> ordered(groups.begin(), groups.end());
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });
  for (auto& [label, rows] : ordered) {
    seededShuffle(rows, rng);
    if (rows.size() < k && options.rareLabels == RareLabelPolicy::TrainOnly) continue;
    // Deal rows to folds in order of current size (ties by index): proportions stay within one
    // row of the ideal per fold, and fold sizes stay within one row of each other.
    std::vector<std::size_t> order(k);
    for (std::size_t f = 0; f < k; ++f) order[f] = f;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return foldSize[a] < foldSize[b]; });
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const std::size_t fold = order[i % k];
      foldOf[static_cast<std::size_t>(rows[i])] = static_cast<int>(fold);
      ++foldSize[fold];
    }
  }

  std::vector<FoldSplit> splits(k);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    for (std::size_t f = 0; f < k; ++f) {
      if (foldOf[i] == static_cast<int>(f))
        splits[f].validation.push_back(static_cast<int>(i));
      else
        splits[f].train.push_back(static_cast<int>(i));
    }
  }
  return splits;
}

FoldSplit stratifiedSplit(const std::vector<int>& labels, double validationRatio, std::uint64_t seed) {
  if (!(validationRatio > 0.0 && validationRatio < 1.0))
    throw std::invalid_argument("val_ratio must be between 0 and 1 (exclusive)");
  std::mt19937_64 rng(seed);
  FoldSplit split;
  for (auto& [label, rows] : rowsByLabel(labels)) {
    seededShuffle(rows, rng);
    auto take = static_cast<std::size_t>(static_cast<double>(rows.size()) * validationRatio + 0.5);
    if (rows.size() < 2) take = 0;
    take = std::min(take, rows.size() - 1);  // keep at least one training row per label
    split.validation.insert(split.validation.end(), rows.begin(), rows.begin() + static_cast<long>(take));
    split.train.insert(split.train.end(), rows.begin() + static_cast<long>(take), rows.end());
  }
  std::sort(split.train.begin(), split.train.end());
  std::sort(split.validation.begin(), split.validation.end());
  return split;
}

FoldSplit allForTraining(std::size_t rowCount) {
  FoldSplit split;
  split.train.resize(rowCount);
  for (std::size_t i = 0; i < rowCount; ++i) split.train[i] = static_cast<int>(i);
  return split;
}

std::vector<int> oversample(const std::vector<int>& train, const std::vector<int>& labels,
                            const OversampleOptions& options, std::uint64_t seed) {
  std::vector<int> out = train;
  if (!options.enabled() || train.empty()) return out;
  std::map<int, std::vector<int>> groups;
  for (int row : train) groups[labels.at(static_cast<std::size_t>(row))].push_back(row);
  std::size_t largest = 0;
  for (const auto& [label, rows] : groups) largest = std::max(largest, rows.size());
  const auto floorCount = std::max(static_cast<std::size_t>(std::max(options.minCount, 0)),
                                   static_cast<std::size_t>(options.minFraction * static_cast<double>(largest) + 0.5));
  std::mt19937_64 rng(seed);
  for (auto& [label, rows] : groups) {
    // Whole copies first, then a shuffled remainder, so duplication is as even as possible.
    const std::size_t have = rows.size();
    for (std::size_t added = 0; have + added < floorCount;) {
      std::vector<int> round = rows;
      seededShuffle(round, rng);
      for (std::size_t i = 0; i < round.size() && have + added < floorCount; ++i, ++added) out.push_back(round[i]);
    }
  }
  return out;
}

}  // namespace foldbench::data
