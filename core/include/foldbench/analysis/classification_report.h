#pragma once
// Confusion matrix and per-class scores of a set of predictions, with the KLUE metric
// (micro-F1 over the relation classes, the no-relation class left out).
#include <cstdint>
#include <string>
#include <vector>

namespace foldbench::analysis {

struct ClassScore {
  std::string label;
  double precision = 0.0, recall = 0.0, f1 = 0.0;
  std::int64_t support = 0;    // gold rows of the class
  std::int64_t predicted = 0;  // rows predicted as the class
};

struct ClassificationReport {
  std::vector<std::string> labels;
  std::vector<std::vector<std::int64_t>> confusion;  // [gold][predicted]
  std::vector<ClassScore> classes;
  double accuracy = 0.0;
  double relationMicroF1 = 0.0;  // the KLUE metric: without `noRelationLabel` (equals accuracy when absent)
  double macroF1 = 0.0;     // over classes with support
  std::int64_t rows = 0;
};

ClassificationReport classificationReport(const std::vector<std::string>& labels, const std::vector<int>& gold,
                                          const std::vector<int>& predicted,
                                          const std::string& noRelationLabel = "관계_없음");

}  // namespace foldbench::analysis
