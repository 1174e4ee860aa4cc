#include "foldbench/ensemble/voting.h"

#include <algorithm>
#include <stdexcept>

#include "foldbench/train/metrics.h"

namespace foldbench::ensemble {

Vote parseVote(const std::string& name) {
  if (name == "soft") return Vote::Soft;
  if (name == "hard") return Vote::Hard;
  if (name == "weighted") return Vote::Weighted;
  throw std::invalid_argument("unknown vote '" + name + "' (soft, hard, weighted)");
}

std::string voteName(Vote vote) {
  switch (vote) {
    case Vote::Soft: return "soft";
    case Vote::Hard: return "hard";
    case Vote::Weighted: return "weighted";
  }
  return "soft";
}

RunWeights parseRunWeights(const std::string& name) {
  if (name == "oof") return RunWeights::Fitted;
  if (name == "val") return RunWeights::ValidationMean;
  if (name == "greedy") return RunWeights::Greedy;
  throw std::invalid_argument("unknown run weights '" + name + "' (oof, val, greedy)");
}

std::string runWeightsName(RunWeights weights) {
  switch (weights) {
    case RunWeights::Fitted: return "oof";
    case RunWeights::ValidationMean: return "val";
    case RunWeights::Greedy: return "greedy";
  }
  return "oof";
}

FitMetric parseFitMetric(const std::string& name) {
  if (name == "accuracy") return FitMetric::Accuracy;
  if (name == "micro_f1") return FitMetric::RelationMicroF1;
  throw std::invalid_argument("unknown metric '" + name + "' (accuracy, micro_f1)");
}

std::string fitMetricName(FitMetric metric) { return metric == FitMetric::Accuracy ? "accuracy" : "micro_f1"; }

double scoreOf(FitMetric metric, const std::vector<int>& predicted, const std::vector<int>& gold, int noRelation) {
  return metric == FitMetric::Accuracy ? accuracyOf(predicted, gold)
                                       : train::microF1WithoutNoRelation(predicted, gold, noRelation);
}

namespace {
void checkShapes(const std::vector<Probabilities>& members) {
  if (members.empty()) throw std::invalid_argument("an ensemble needs at least one member");
  for (const auto& m : members)
    if (m.size() != members[0].size()) throw std::invalid_argument("members predict different numbers of rows");
}

int argmax(const std::vector<float>& row, const std::vector<double>& bias) {
  int best = 0;
  double bestValue = -1e300;
  for (std::size_t c = 0; c < row.size(); ++c) {
    const double v = row[c] + (c < bias.size() ? bias[c] : 0.0);
    if (v > bestValue) {
      bestValue = v;
      best = static_cast<int>(c);
    }
  }
  return best;
}
}  // namespace

Probabilities softVote(const std::vector<Probabilities>& members, const std::vector<double>& weights) {
  checkShapes(members);
  if (!weights.empty() && weights.size() != members.size())
    throw std::invalid_argument("one weight per member is needed");
  double total = 0.0;
  for (std::size_t m = 0; m < members.size(); ++m) total += weights.empty() ? 1.0 : weights[m];
  if (total <= 0.0) throw std::invalid_argument("member weights must sum to more than zero");
  Probabilities out(members[0].size());
  for (std::size_t r = 0; r < out.size(); ++r) {
    out[r].assign(members[0][r].size(), 0.0f);
    for (std::size_t m = 0; m < members.size(); ++m) {
      const double w = (weights.empty() ? 1.0 : weights[m]) / total;
      for (std::size_t c = 0; c < out[r].size(); ++c) out[r][c] += static_cast<float>(w * members[m][r][c]);
    }
  }
  return out;
}

std::vector<int> hardVote(const std::vector<Probabilities>& members) {
  checkShapes(members);
  const auto mean = softVote(members);
  std::vector<int> out(mean.size());
  for (std::size_t r = 0; r < mean.size(); ++r) {
    std::vector<int> votes(mean[r].size(), 0);
    for (const auto& m : members) ++votes[static_cast<std::size_t>(argmax(m[r], {}))];
    const int top = *std::max_element(votes.begin(), votes.end());
    int best = -1;
    for (std::size_t c = 0; c < votes.size(); ++c)
      if (votes[c] == top && (best < 0 || mean[r][c] > mean[r][static_cast<std::size_t>(best)])) best = static_cast<int>(c);
    out[r] = best;
  }
  return out;
}

std::vector<int> decide(const Probabilities& probabilities, const std::vector<double>& bias) {
  std::vector<int> out;
  out.reserve(probabilities.size());
  for (const auto& row : probabilities) out.push_back(argmax(row, bias));
  return out;
}

double accuracyOf(const std::vector<int>& predicted, const std::vector<int>& gold) {
  std::size_t right = 0, counted = 0;
  for (std::size_t i = 0; i < gold.size(); ++i) {
    if (gold[i] < 0) continue;
    ++counted;
    right += predicted[i] == gold[i];
  }
  return counted ? static_cast<double>(right) / static_cast<double>(counted) : 0.0;
}

std::vector<double> fitWeights(const std::vector<Probabilities>& members, const std::vector<int>& gold, FitMetric metric,
                               int noRelation) {
  checkShapes(members);
  std::vector<double> weights(members.size(), 1.0);
  const auto score = [&](const std::vector<double>& w) {
    return scoreOf(metric, decide(softVote(members, w)), gold, noRelation);
  };
  double best = score(weights);
  if (members.size() == 1) return weights;
  // Coordinate search over a multiplicative grid, a few sweeps; only improvements are kept.
  const double factors[] = {0.0, 0.25, 0.5, 0.75, 1.5, 2.0, 3.0};
  for (int sweep = 0; sweep < 3; ++sweep) {
    bool improved = false;
    for (std::size_t m = 0; m < members.size(); ++m) {
      for (double f : factors) {
        auto trial = weights;
        trial[m] *= f;
        double total = 0.0;
        for (double w : trial) total += w;
        if (total <= 0.0) continue;
        const double s = score(trial);
        if (s > best + 1e-12) {
          best = s;
          weights = trial;
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
  double total = 0.0;
  for (double w : weights) total += w;
  for (double& w : weights) w /= total;
  return weights;
}

double fitClassBias(const Probabilities& probabilities, const std::vector<int>& gold, int cls, FitMetric metric) {
  if (probabilities.empty()) return 0.0;
  std::vector<double> bias(probabilities[0].size(), 0.0);
  double best = scoreOf(metric, decide(probabilities), gold, cls), bestBias = 0.0;
  for (int step = -20; step <= 20; ++step) {
    if (step == 0) continue;
    bias[static_cast<std::size_t>(cls)] = step * 0.025;
    const double s = scoreOf(metric, decide(probabilities, bias), gold, cls);
    if (s > best + 1e-12) {
      best = s;
      bestBias = step * 0.025;
    }
  }
  return bestBias;
}

}  // namespace foldbench::ensemble
