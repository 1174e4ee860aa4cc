#pragma once
// Combining class probabilities of several members. Plain functions on plain vectors.
#include <string>
#include <vector>

namespace foldbench::ensemble {

using Probabilities = std::vector<std::vector<float>>;  // [row][class]

enum class Vote { Soft, Hard, Weighted };
Vote parseVote(const std::string& name);  // soft | hard | weighted
std::string voteName(Vote vote);

// Mean of the members' probabilities, each member weighted (weights need not sum to 1).
Probabilities softVote(const std::vector<Probabilities>& members, const std::vector<double>& weights = {});

// Majority of the members' predicted classes; ties go to the tied class with the highest mean
// probability. Returns the class per row.
std::vector<int> hardVote(const std::vector<Probabilities>& members);

// Adds `bias[c]` to every row's probability of class c (the competition winners' constant on
// the no-relation class), before taking the argmax.
std::vector<int> decide(const Probabilities& probabilities, const std::vector<double>& bias = {});

// Member weights that maximise accuracy on out-of-fold probabilities (`gold` per row, rows
// with gold < 0 ignored). Starts from uniform weights and accepts only improvements, so the
// result is never worse than uniform on that data.
std::vector<double> fitWeights(const std::vector<Probabilities>& members, const std::vector<int>& gold);

// The constant added to `cls` that maximises accuracy on out-of-fold probabilities (0 if none helps).
double fitClassBias(const Probabilities& probabilities, const std::vector<int>& gold, int cls);

double accuracyOf(const std::vector<int>& predicted, const std::vector<int>& gold);  // rows with gold >= 0

}  // namespace foldbench::ensemble
