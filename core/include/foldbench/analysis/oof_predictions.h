#pragma once
// The out-of-fold predictions a run writes (oof.tsv: id, label id, fold, one probability per
// label), read once for scoring, confusion matrices, comparisons and ensembles.
#include <string>
#include <vector>

namespace foldbench::analysis {

struct OofPredictions {
  std::vector<std::string> labels;  // names, in id order (the header's probability columns)
  std::vector<std::string> ids;
  std::vector<int> gold;
  std::vector<int> folds;
  std::vector<int> predicted;                    // argmax of each row
  std::vector<std::vector<float>> probabilities; // empty unless asked for
  std::size_t size() const { return ids.size(); }
};

// Throws std::runtime_error naming the file, line and field of the first bad value.
OofPredictions readOofPredictions(const std::string& path, bool keepProbabilities = false);

}  // namespace foldbench::analysis
