// Parameter importance for a sweep's view: 500 trials x 6 parameters (lr on a log scale, table
// dimension, dropout, epochs, loss and scheduler as categories), a score made of three of them
// plus noise; times parameterImportance with its default forest (100 trees), the median of 5
// runs, and prints the shares. The goal is well under a second.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>

#include "foldbench/analysis/parameter_importance.h"

using namespace foldbench::analysis;
using Clock = std::chrono::steady_clock;

int main() {
  const std::vector<ParameterColumn> columns = {{"train.lr", ParameterKind::LogNumeric, 0},
                                                {"model.ngram_dim", ParameterKind::Numeric, 0},
                                                {"model.head_dropout", ParameterKind::Numeric, 0},
                                                {"train.epochs", ParameterKind::Numeric, 0},
                                                {"train.loss", ParameterKind::Categorical, 3},
                                                {"train.scheduler", ParameterKind::Categorical, 4}};
  std::mt19937 rng(26);
  std::uniform_real_distribution<double> exponent(-5.0, -1.0), u(0.0, 1.0);
  std::normal_distribution<double> noise(0.0, 0.01);
  std::vector<std::vector<double>> trials;
  std::vector<double> scores;
  const std::size_t count = 500;
  for (std::size_t t = 0; t < count; ++t) {
    const double e = exponent(rng);
    const double dim = std::round(32 + u(rng) * 480), dropout = 0.5 * u(rng), epochs = std::round(1 + u(rng) * 9);
    const double loss = std::floor(u(rng) * 3), scheduler = std::floor(u(rng) * 4);
    trials.push_back({std::pow(10.0, e), dim, dropout, epochs, loss, scheduler});
    // lr matters most (best near 1e-3), then epochs, then the loss; the rest not at all.
    scores.push_back(0.7 - 0.03 * (e + 3.0) * (e + 3.0) + 0.004 * epochs + (loss == 1 ? 0.02 : 0.0) + noise(rng));
  }
  std::vector<double> seconds;
  ParameterImportance result;
  for (int run = 0; run < 5; ++run) {
    const auto start = Clock::now();
    result = parameterImportance(columns, trials, scores);
    seconds.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  std::sort(seconds.begin(), seconds.end());
  std::printf("parameter importance, %zu trials x %zu parameters, 100 trees: %.1f ms (median of 5; min %.1f, max %.1f)\n",
              count, columns.size(), 1000.0 * seconds[2], 1000.0 * seconds.front(), 1000.0 * seconds.back());
  std::printf("out-of-bag R^2 %.3f; shares:", result.outOfBagR2);
  for (std::size_t p = 0; p < columns.size(); ++p) std::printf(" %s %.3f", columns[p].name.c_str(), result.importance[p]);
  std::printf("\n");
  return 0;
}
