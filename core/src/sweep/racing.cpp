#include "foldbench/sweep/racing.h"

#include <cstdio>

#include "foldbench/analysis/significance.h"

namespace foldbench::sweep {

namespace {

std::string formatted(const char* format, double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

}  // namespace

RaceVerdict judge(const RacingRule& rule, const std::vector<tracker::FoldScore>& trial, const tracker::TrialRecord& incumbent,
                  int totalFolds) {
  RaceVerdict verdict;
  if (rule.test == RaceTest::None) return verdict;
  std::vector<double> theirs, ours;
  for (const auto& mine : trial)
    for (const auto& other : incumbent.scores)
      if (other.fold == mine.fold) {
        ours.push_back(mine.accuracy);
        theirs.push_back(other.accuracy);
      }
  verdict.folds = static_cast<int>(ours.size());
  if (verdict.folds == 0) return verdict;
  double sum = 0.0;
  for (std::size_t i = 0; i < ours.size(); ++i) sum += ours[i] - theirs[i];
  verdict.meanDifference = sum / verdict.folds;
  if (verdict.folds < rule.minFolds || verdict.folds < 2 || verdict.meanDifference >= 0.0) return verdict;
  if (rule.test == RaceTest::TTest) {
    // One-sided from the two-sided p: the mean difference is negative here.
    const double ratio = totalFolds > 1 ? 1.0 / (totalFolds - 1) : 0.0;
    verdict.pValue = analysis::correctedResampledTTest(theirs, ours, ratio).pValue / 2.0;
  } else {
    verdict.pValue = analysis::wilcoxonSignedRank(theirs, ours).pValueLess;
  }
  verdict.prune = verdict.pValue < rule.alpha;
  if (verdict.prune)
    verdict.reason = "worse than trial " + std::to_string(incumbent.trial) + " on " + std::to_string(verdict.folds) +
                     " folds (" + formatted("%+.3f", verdict.meanDifference) + ", p = " + formatted("%.3g", verdict.pValue) +
                     ", " + nameOf(rule.test) + ")";
  return verdict;
}

std::optional<tracker::TrialRecord> incumbentOf(const std::vector<tracker::TrialRecord>& trials, int totalFolds) {
  std::optional<tracker::TrialRecord> best;
  for (const auto& t : trials) {
    if (t.status != tracker::TrialStatus::Finished || static_cast<int>(t.scores.size()) < totalFolds) continue;
    if (!best || t.mean > best->mean) best = t;
  }
  return best;
}

}  // namespace foldbench::sweep
