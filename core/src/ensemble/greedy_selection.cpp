#include "foldbench/ensemble/greedy_selection.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace foldbench::ensemble {

namespace {

// What accuracy and the relation micro-F1 are computed from, so that rows decided once per
// round and rows decided per candidate add up.
struct Tally {
  std::size_t rows = 0, correct = 0, truePositive = 0, predictedPositive = 0, goldPositive = 0;

  void add(int predicted, int gold, int noRelation) {
    ++rows;
    correct += predicted == gold;
    const bool p = predicted != noRelation, g = gold != noRelation;
    predictedPositive += p;
    goldPositive += g;
    truePositive += p && g && predicted == gold;
  }

  // The same formulas as accuracyOf and train::microF1WithoutNoRelation.
  double score(FitMetric metric) const {
    if (metric == FitMetric::Accuracy) return rows ? static_cast<double>(correct) / static_cast<double>(rows) : 0.0;
    if (truePositive == 0) return 0.0;
    const double precision = static_cast<double>(truePositive) / static_cast<double>(predictedPositive);
    const double recall = static_cast<double>(truePositive) / static_cast<double>(goldPositive);
    return 2.0 * precision * recall / (precision + recall);
  }
};

class Selector {
 public:
  Selector(const std::vector<Probabilities>& members, const std::vector<int>& gold, FitMetric metric, int noRelation)
      : members_(members), gold_(gold), metric_(metric), noRelation_(noRelation) {
    if (members.empty()) throw std::invalid_argument("an ensemble needs at least one member");
    for (const auto& m : members)
      if (m.size() != gold.size()) throw std::invalid_argument("members and gold labels cover different numbers of rows");
    for (std::size_t i = 0; i < gold.size(); ++i)
      if (gold[i] >= 0) rows_.push_back(i);
    classes_ = rows_.empty() ? 0 : members[0][rows_[0]].size();
    if (!rows_.empty() && classes_ == 0) throw std::invalid_argument("members predict no class");
    if (classes_ > 65536) throw std::invalid_argument("greedy selection takes at most 65,536 classes");
    for (const auto& m : members)
      for (auto i : rows_) {
        const auto& row = m[i];
        if (row.size() != classes_) throw std::invalid_argument("members predict different numbers of classes");
        const auto [lo, hi] = std::minmax_element(row.begin(), row.end());
        spread_ = std::max(spread_, *hi - *lo);
      }
    sum_.assign(rows_.size() * classes_, 0.0f);
    // Each member's own leader per row and its largest probability elsewhere: a candidate can
    // lift any other class by at most that.
    leader_.resize(members.size() * rows_.size());
    runnerUp_.resize(members.size() * rows_.size());
    for (std::size_t m = 0; m < members.size(); ++m)
      for (std::size_t r = 0; r < rows_.size(); ++r) {
        const float* p = row(m, r);
        std::size_t k = 0;
        for (std::size_t c = 1; c < classes_; ++c)
          if (p[c] > p[k]) k = c;
        float second = -std::numeric_limits<float>::infinity();
        for (std::size_t c = 0; c < classes_; ++c)
          if (c != k) second = std::max(second, p[c]);
        leader_[m * rows_.size() + r] = static_cast<std::uint16_t>(k);
        runnerUp_[m * rows_.size() + r] = second;
      }
  }

  const float* row(std::size_t m, std::size_t r) const { return members_[m][rows_[r]].data(); }

  std::size_t size() const { return members_.size(); }

  void add(std::size_t m) {
    for (std::size_t r = 0; r < rows_.size(); ++r) {
      const float* p = row(m, r);
      float* s = &sum_[r * classes_];
      for (std::size_t c = 0; c < classes_; ++c) s[c] += p[c];
    }
  }

  // The score of the current sum's vote.
  double current() const {
    Tally t;
    for (std::size_t r = 0; r < rows_.size(); ++r) {
      const float* s = &sum_[r * classes_];
      t.add(static_cast<int>(std::max_element(s, s + classes_) - s), gold_[rows_[r]], noRelation_);
    }
    return t.score(metric_);
  }

  // The score of the vote after adding each member once more. Adding one member moves a class
  // by at most the largest spread (max - min) of any member's row, so a class that trails the
  // row's leader by more than that cannot win: only the others ("contenders", sorted by their
  // sum) are compared per candidate. A row with one contender keeps its leader whatever is
  // added and is decided once per round.
  std::vector<double> candidates() {
    Tally settled;
    open_.clear();
    contenders_.clear();
    starts_.clear();
    for (std::size_t r = 0; r < rows_.size(); ++r) {
      const float* s = &sum_[r * classes_];
      const float top = *std::max_element(s, s + classes_);
      // The margin covers float rounding of the sums as well.
      const float reach = top - spread_ - 1e-5f * (1.0f + std::abs(top));
      const std::size_t start = contenders_.size();
      for (std::size_t c = 0; c < classes_; ++c)
        if (s[c] >= reach) contenders_.push_back(static_cast<std::uint16_t>(c));
      if (contenders_.size() - start == 1) {
        settled.add(contenders_.back(), gold_[rows_[r]], noRelation_);
        contenders_.pop_back();
      } else {
        std::sort(contenders_.begin() + static_cast<std::ptrdiff_t>(start), contenders_.end(),
                  [s](std::uint16_t a, std::uint16_t b) { return s[a] > s[b] || (s[a] == s[b] && a < b); });
        open_.push_back(r);
        starts_.push_back(start);
      }
    }
    starts_.push_back(contenders_.size());
    std::vector<double> scores(members_.size());
    for (std::size_t m = 0; m < members_.size(); ++m) {
      Tally t = settled;
      for (std::size_t k = 0; k < open_.size(); ++k) {
        const std::size_t r = open_[k];
        const float* s = &sum_[r * classes_];
        const float* p = row(m, r);
        // The member's own leader first, then the contenders from the highest sum down, until
        // even the member's runner-up probability cannot lift one to the best value. Equal
        // values go to the lower class, as decide() does.
        int best = leader_[m * rows_.size() + r];
        float bestValue = s[best] + p[best];
        const float lift = runnerUp_[m * rows_.size() + r];
        for (std::size_t j = starts_[k]; j < starts_[k + 1]; ++j) {
          const int c = contenders_[j];
          if (s[c] + lift < bestValue) break;
          const float v = s[c] + p[c];
          if (v > bestValue || (v == bestValue && c < best)) {
            bestValue = v;
            best = c;
          }
        }
        t.add(best, gold_[rows_[r]], noRelation_);
      }
      scores[m] = t.score(metric_);
    }
    return scores;
  }

 private:
  const std::vector<Probabilities>& members_;
  const std::vector<int>& gold_;
  FitMetric metric_;
  int noRelation_;
  std::vector<std::size_t> rows_;  // rows with a gold label
  std::size_t classes_ = 0;
  float spread_ = 0.0f;            // the largest max - min of any member's row
  std::vector<std::uint16_t> leader_;  // [member * rows + row]: the member's own argmax
  std::vector<float> runnerUp_;        // [member * rows + row]: its largest probability on another class
  std::vector<float> sum_;         // [row * classes + class]: the selected members' probabilities summed
  std::vector<std::size_t> open_;  // rows an addition may still change, this round
  std::vector<std::uint16_t> contenders_;  // their classes that may still win, row after row
  std::vector<std::size_t> starts_;        // where each open row's contenders start
};

}  // namespace

GreedySelection greedySelect(const std::vector<Probabilities>& members, const std::vector<int>& gold, FitMetric metric,
                             int noRelation, const GreedyOptions& options) {
  if (options.rounds < 0 || options.patience < 0 || options.initialBest < 0)
    throw std::invalid_argument("greedy selection: rounds, patience and initial members cannot be negative");
  if (options.rounds == 0 && options.initialBest == 0)
    throw std::invalid_argument("greedy selection needs at least one round or one initial member");
  Selector selector(members, gold, metric, noRelation);
  GreedySelection out;
  std::vector<std::size_t> added;
  double bestScore = -std::numeric_limits<double>::infinity();
  std::size_t bestLength = 0;

  if (options.initialBest > 0) {
    const auto alone = selector.candidates();  // the empty sum: each member's own score
    std::vector<std::size_t> ranked(members.size());
    std::iota(ranked.begin(), ranked.end(), std::size_t{0});
    std::stable_sort(ranked.begin(), ranked.end(), [&](std::size_t a, std::size_t b) { return alone[a] > alone[b]; });
    ranked.resize(std::min(ranked.size(), static_cast<std::size_t>(options.initialBest)));
    for (auto m : ranked) {
      selector.add(m);
      added.push_back(m);
      out.trace.push_back(selector.current());
    }
    bestScore = out.trace.back();
    bestLength = added.size();
  }

  int stale = 0;
  for (int round = 0; round < options.rounds; ++round) {
    const auto scores = selector.candidates();
    const auto pick = static_cast<std::size_t>(std::max_element(scores.begin(), scores.end()) - scores.begin());
    selector.add(pick);
    added.push_back(pick);
    out.trace.push_back(scores[pick]);
    if (scores[pick] > bestScore) {
      bestScore = scores[pick];
      bestLength = added.size();
      stale = 0;
    } else if (options.patience > 0 && ++stale >= options.patience) {
      break;
    }
  }

  out.order.assign(added.begin(), added.begin() + static_cast<std::ptrdiff_t>(bestLength));
  out.counts.assign(members.size(), 0);
  for (auto m : out.order) ++out.counts[m];
  out.score = bestScore;
  return out;
}

std::vector<double> selectionWeights(const std::vector<int>& counts) {
  double total = 0.0;
  for (int c : counts) total += c;
  if (total <= 0.0) throw std::invalid_argument("a selection needs at least one selected member");
  std::vector<double> weights;
  weights.reserve(counts.size());
  for (int c : counts) weights.push_back(c / total);
  return weights;
}

}  // namespace foldbench::ensemble
