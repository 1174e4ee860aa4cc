#include "foldbench/analysis/parameter_importance.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>

namespace foldbench::analysis {

namespace {

// Draws from the standard Mersenne twister by modulo, so a seed gives the same forest with any
// standard library (std::uniform_int_distribution's algorithm is not specified).
class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(engine_() % n); }

 private:
  std::mt19937_64 engine_;
};

struct Node {
  int parameter = -1;           // -1: a leaf
  double threshold = 0.0;       // numeric: left when value <= threshold
  std::uint64_t leftMask = 0;   // categorical: left when the category's bit is set
  int left = -1, right = -1;
  double value = 0.0;           // the mean score of the node's trials
};

using Tree = std::vector<Node>;

class TreeBuilder {
 public:
  TreeBuilder(const std::vector<std::vector<double>>& x, const std::vector<double>& y,
              const std::vector<ParameterColumn>& parameters, const ImportanceOptions& options, Random& random)
      : x_(x), y_(y), parameters_(parameters), options_(options), random_(random) {
    const auto count = parameters.size();
    tried_ = std::max<std::size_t>(1, std::min(count, static_cast<std::size_t>(std::lround(options.splitFraction * count))));
    order_.resize(count);
  }

  Tree build(std::vector<std::size_t> rows) {
    tree_.clear();
    grow(rows, 0);
    return std::move(tree_);
  }

 private:
  struct Split {
    double gain = 0.0;
    int parameter = -1;
    double threshold = 0.0;
    std::uint64_t leftMask = 0;
  };

  int grow(const std::vector<std::size_t>& rows, int depth) {
    const int index = static_cast<int>(tree_.size());
    tree_.emplace_back();
    double sum = 0.0, sumSq = 0.0;
    for (auto r : rows) sum += y_[r], sumSq += y_[r] * y_[r];
    const double n = static_cast<double>(rows.size());
    tree_[static_cast<std::size_t>(index)].value = sum / n;
    const double sse = sumSq - sum * sum / n;
    const auto minLeaf = static_cast<std::size_t>(std::max(1, options_.minLeafTrials));
    if (depth >= options_.maxDepth || rows.size() < 2 * minLeaf || sse <= 1e-12 * (1.0 + sumSq)) return index;

    // A random subset of the parameters, each searched for its best split.
    std::iota(order_.begin(), order_.end(), std::size_t{0});
    Split best;
    for (std::size_t k = 0; k < tried_; ++k) {
      std::swap(order_[k], order_[k + random_.below(order_.size() - k)]);
      const auto p = order_[k];
      const auto split = parameters_[p].kind == ParameterKind::Categorical ? categoricalSplit(rows, p, sum, minLeaf)
                                                                           : numericSplit(rows, p, sum, minLeaf);
      if (split.parameter >= 0 && split.gain > best.gain) best = split;
    }
    if (best.parameter < 0 || best.gain <= 1e-9 * sse) return index;

    std::vector<std::size_t> left, right;
    for (auto r : rows) (goesLeft(best.parameter, best.threshold, best.leftMask, x_[r]) ? left : right).push_back(r);
    const int l = grow(left, depth + 1);
    const int rIndex = grow(right, depth + 1);
    auto& node = tree_[static_cast<std::size_t>(index)];
    node.parameter = best.parameter;
    node.threshold = best.threshold;
    node.leftMask = best.leftMask;
    node.left = l;
    node.right = rIndex;
    return index;
  }

  bool goesLeft(int parameter, double threshold, std::uint64_t mask, const std::vector<double>& row) const {
    const double v = row[static_cast<std::size_t>(parameter)];
    if (parameters_[static_cast<std::size_t>(parameter)].kind == ParameterKind::Categorical)
      return (mask >> static_cast<unsigned>(v)) & 1u;
    return v <= threshold;
  }

  // Gain of a split into (count, sum) on the left and the rest on the right.
  static double gain(double nLeft, double sumLeft, double n, double sum) {
    const double nRight = n - nLeft, sumRight = sum - sumLeft;
    return sumLeft * sumLeft / nLeft + sumRight * sumRight / nRight - sum * sum / n;
  }

  Split numericSplit(const std::vector<std::size_t>& rows, std::size_t p, double sum, std::size_t minLeaf) {
    pairs_.clear();
    for (auto r : rows) pairs_.emplace_back(x_[r][p], y_[r]);
    std::sort(pairs_.begin(), pairs_.end());
    Split best;
    const double n = static_cast<double>(rows.size());
    double sumLeft = 0.0;
    for (std::size_t i = 0; i + 1 < pairs_.size(); ++i) {
      sumLeft += pairs_[i].second;
      if (pairs_[i].first == pairs_[i + 1].first) continue;
      const std::size_t nLeft = i + 1;
      if (nLeft < minLeaf || pairs_.size() - nLeft < minLeaf) continue;
      const double g = gain(static_cast<double>(nLeft), sumLeft, n, sum);
      if (g > best.gain) {
        best.gain = g;
        best.parameter = static_cast<int>(p);
        best.threshold = 0.5 * (pairs_[i].first + pairs_[i + 1].first);
      }
    }
    return best;
  }

  // Categories ordered by their mean score, then split like a number: for squared error this
  // finds the best of all subsets (Breiman et al. 1984).
  Split categoricalSplit(const std::vector<std::size_t>& rows, std::size_t p, double sum, std::size_t minLeaf) {
    const auto categories = static_cast<std::size_t>(parameters_[p].categories);
    counts_.assign(categories, 0.0);
    sums_.assign(categories, 0.0);
    for (auto r : rows) {
      const auto c = static_cast<std::size_t>(x_[r][p]);
      counts_[c] += 1.0;
      sums_[c] += y_[r];
    }
    present_.clear();
    for (std::size_t c = 0; c < categories; ++c)
      if (counts_[c] > 0) present_.push_back(c);
    std::sort(present_.begin(), present_.end(), [&](std::size_t a, std::size_t b) {
      const double ma = sums_[a] / counts_[a], mb = sums_[b] / counts_[b];
      return ma < mb || (ma == mb && a < b);
    });
    Split best;
    const double n = static_cast<double>(rows.size());
    double nLeft = 0.0, sumLeft = 0.0;
    std::uint64_t mask = 0;
    for (std::size_t i = 0; i + 1 < present_.size(); ++i) {
      const auto c = present_[i];
      nLeft += counts_[c];
      sumLeft += sums_[c];
      mask |= std::uint64_t{1} << c;
      if (nLeft < static_cast<double>(minLeaf) || n - nLeft < static_cast<double>(minLeaf)) continue;
      const double g = gain(nLeft, sumLeft, n, sum);
      if (g > best.gain) {
        best.gain = g;
        best.parameter = static_cast<int>(p);
        best.leftMask = mask;
      }
    }
    return best;
  }

  const std::vector<std::vector<double>>& x_;
  const std::vector<double>& y_;
  const std::vector<ParameterColumn>& parameters_;
  const ImportanceOptions& options_;
  Random& random_;
  std::size_t tried_ = 1;
  std::vector<std::size_t> order_;
  std::vector<std::pair<double, double>> pairs_;
  std::vector<double> counts_, sums_;
  std::vector<std::size_t> present_;
  Tree tree_;
};

// The tree's prediction for `row`, reading parameter `swapped` (if >= 0) as `value` instead.
double predict(const Tree& tree, const std::vector<ParameterColumn>& parameters, const std::vector<double>& row,
               int swapped = -1, double value = 0.0) {
  const Node* node = &tree[0];
  while (node->parameter >= 0) {
    const auto p = static_cast<std::size_t>(node->parameter);
    const double v = node->parameter == swapped ? value : row[p];
    const bool left = parameters[p].kind == ParameterKind::Categorical ? ((node->leftMask >> static_cast<unsigned>(v)) & 1u)
                                                                         : v <= node->threshold;
    node = &tree[static_cast<std::size_t>(left ? node->left : node->right)];
  }
  return node->value;
}

// The values the trees split on: log10 on a log scale; checked.
std::vector<std::vector<double>> splitValues(const std::vector<ParameterColumn>& parameters,
                                             const std::vector<std::vector<double>>& trials) {
  auto x = trials;
  for (std::size_t t = 0; t < x.size(); ++t) {
    if (x[t].size() != parameters.size())
      throw std::invalid_argument("parameter importance: trial " + std::to_string(t) + " has " +
                                  std::to_string(x[t].size()) + " values for " + std::to_string(parameters.size()) +
                                  " parameters");
    for (std::size_t p = 0; p < parameters.size(); ++p) {
      double& v = x[t][p];
      const auto& column = parameters[p];
      if (!std::isfinite(v))
        throw std::invalid_argument("parameter importance: " + column.name + " is not a finite number in trial " +
                                    std::to_string(t));
      if (column.kind == ParameterKind::LogNumeric) {
        if (v <= 0.0)
          throw std::invalid_argument("parameter importance: " + column.name + " is on a log scale but trial " +
                                      std::to_string(t) + " has " + std::to_string(v));
        v = std::log10(v);
      } else if (column.kind == ParameterKind::Categorical) {
        if (column.categories < 1 || column.categories > 64)
          throw std::invalid_argument("parameter importance: " + column.name + " needs 1 to 64 categories");
        if (v < 0.0 || v >= column.categories || v != std::floor(v))
          throw std::invalid_argument("parameter importance: " + column.name + " has no category " + std::to_string(v) +
                                      " (trial " + std::to_string(t) + ")");
      }
    }
  }
  return x;
}

}  // namespace

ParameterImportance parameterImportance(const std::vector<ParameterColumn>& parameters,
                                        const std::vector<std::vector<double>>& trials, const std::vector<double>& scores,
                                        const ImportanceOptions& options) {
  if (trials.size() != scores.size()) throw std::invalid_argument("parameter importance: one score per trial is needed");
  if (options.trees < 1) throw std::invalid_argument("parameter importance: the forest needs at least one tree");
  for (double s : scores)
    if (!std::isfinite(s)) throw std::invalid_argument("parameter importance: a score is not a finite number");
  const auto x = splitValues(parameters, trials);
  const std::size_t count = parameters.size(), n = trials.size();
  ParameterImportance out;
  out.importance.assign(count, count ? 1.0 / static_cast<double>(count) : 0.0);
  if (count == 0 || n < 4) return out;
  const double mean = std::accumulate(scores.begin(), scores.end(), 0.0) / static_cast<double>(n);
  double variance = 0.0;
  for (double s : scores) variance += (s - mean) * (s - mean);
  variance /= static_cast<double>(n);
  if (variance <= 1e-24 * (1.0 + mean * mean)) return out;

  Random random(options.seed);
  TreeBuilder builder(x, scores, parameters, options, random);
  std::vector<double> increase(count, 0.0), oobSum(n, 0.0);
  std::vector<int> oobCount(n, 0);
  int scoredTrees = 0;
  std::vector<std::size_t> bag(n), outOfBag;
  std::vector<char> inBag(n);
  std::vector<double> shuffled;
  for (int t = 0; t < options.trees; ++t) {
    std::fill(inBag.begin(), inBag.end(), 0);
    for (auto& r : bag) {
      r = random.below(n);
      inBag[r] = 1;
    }
    const Tree tree = builder.build(bag);
    outOfBag.clear();
    for (std::size_t r = 0; r < n; ++r)
      if (!inBag[r]) outOfBag.push_back(r);
    if (outOfBag.empty()) continue;
    ++scoredTrees;
    double baseline = 0.0;
    for (auto r : outOfBag) {
      const double predicted = predict(tree, parameters, x[r]);
      baseline += (predicted - scores[r]) * (predicted - scores[r]);
      oobSum[r] += predicted;
      ++oobCount[r];
    }
    for (std::size_t p = 0; p < count; ++p) {
      // The out-of-bag trials' values of p, shuffled among them (Fisher-Yates).
      shuffled.clear();
      for (auto r : outOfBag) shuffled.push_back(x[r][p]);
      for (std::size_t i = shuffled.size(); i > 1; --i) std::swap(shuffled[i - 1], shuffled[random.below(i)]);
      double permuted = 0.0;
      for (std::size_t k = 0; k < outOfBag.size(); ++k) {
        const auto r = outOfBag[k];
        const double predicted = predict(tree, parameters, x[r], static_cast<int>(p), shuffled[k]);
        permuted += (predicted - scores[r]) * (predicted - scores[r]);
      }
      increase[p] += (permuted - baseline) / static_cast<double>(outOfBag.size());
    }
  }

  double sse = 0.0, sst = 0.0, oobMean = 0.0;
  std::size_t oobRows = 0;
  for (std::size_t r = 0; r < n; ++r)
    if (oobCount[r]) oobMean += scores[r], ++oobRows;
  if (oobRows) {
    oobMean /= static_cast<double>(oobRows);
    for (std::size_t r = 0; r < n; ++r) {
      if (!oobCount[r]) continue;
      const double predicted = oobSum[r] / oobCount[r];
      sse += (predicted - scores[r]) * (predicted - scores[r]);
      sst += (scores[r] - oobMean) * (scores[r] - oobMean);
    }
    out.outOfBagR2 = sst > 0.0 ? 1.0 - sse / sst : 0.0;
  }

  double total = 0.0;
  for (double& v : increase) total += (v = std::max(0.0, v / std::max(1, scoredTrees)));
  // Increases that are rounding noise against the scores' variance explain nothing.
  if (total <= 1e-12 * variance) return out;
  for (std::size_t p = 0; p < count; ++p) out.importance[p] = increase[p] / total;
  out.explained = true;
  return out;
}

}  // namespace foldbench::analysis
