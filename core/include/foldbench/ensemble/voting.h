#pragma once
// Combining class probabilities of several members. Plain functions on plain vectors.
#include <string>
#include <vector>

namespace foldbench::ensemble {

using Probabilities = std::vector<std::vector<float>>;  // [row][class]

enum class Vote { Soft, Hard, Weighted };
Vote parseVote(const std::string& name);  // soft | hard | weighted
std::string voteName(Vote vote);

// Where a weighted vote's run weights come from: fitted on out-of-fold predictions ("oof"), each
// run's mean validation accuracy ("val"), or greedy forward selection with replacement on
// out-of-fold predictions, the weights being how often each run was selected ("greedy",
// greedy_selection.h).
enum class RunWeights { Fitted, ValidationMean, Greedy };
RunWeights parseRunWeights(const std::string& name);  // oof | val | greedy
std::string runWeightsName(RunWeights weights);

// What fitted weights and constants maximise: accuracy, or the KLUE metric (micro-F1 over the
// relation classes, the no-relation class left out).
enum class FitMetric { Accuracy, RelationMicroF1 };
FitMetric parseFitMetric(const std::string& name);  // accuracy | micro_f1
std::string fitMetricName(FitMetric metric);
// Rows with gold < 0 are ignored. `noRelation` < 0: no such class (micro-F1 then equals accuracy).
double scoreOf(FitMetric metric, const std::vector<int>& predicted, const std::vector<int>& gold, int noRelation);

// Mean of the members' probabilities, each member weighted (weights need not sum to 1).
Probabilities softVote(const std::vector<Probabilities>& members, const std::vector<double>& weights = {});

// Majority of the members' predicted classes; ties go to the tied class with the highest mean
// probability. Returns the class per row.
std::vector<int> hardVote(const std::vector<Probabilities>& members);

// Adds `bias[c]` to every row's probability of class c (the competition winners' constant on
// the no-relation class), before taking the argmax.
std::vector<int> decide(const Probabilities& probabilities, const std::vector<double>& bias = {});

// Member weights that maximise `metric` on out-of-fold probabilities (`gold` per row, rows
// with gold < 0 ignored). Starts from uniform weights and accepts only improvements, so the
// result is never worse than uniform on that data.
std::vector<double> fitWeights(const std::vector<Probabilities>& members, const std::vector<int>& gold,
                               FitMetric metric = FitMetric::Accuracy, int noRelation = -1);

// The constant added to `cls` that maximises `metric` on out-of-fold probabilities (0 if none
// helps). `cls` is also the no-relation class the micro-F1 leaves out.
double fitClassBias(const Probabilities& probabilities, const std::vector<int>& gold, int cls,
                    FitMetric metric = FitMetric::Accuracy);

double accuracyOf(const std::vector<int>& predicted, const std::vector<int>& gold);  // rows with gold >= 0

}  // namespace foldbench::ensemble
