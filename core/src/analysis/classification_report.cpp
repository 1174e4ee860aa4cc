#include "foldbench/analysis/classification_report.h"

#include <algorithm>
#include <stdexcept>

#include "foldbench/train/metrics.h"

namespace foldbench::analysis {

ClassificationReport classificationReport(const std::vector<std::string>& labels, const std::vector<int>& gold,
                                          const std::vector<int>& predicted, const std::string& noRelationLabel) {
  if (gold.size() != predicted.size()) throw std::invalid_argument("prediction and label counts differ");
  const auto n = labels.size();
  ClassificationReport r;
  r.labels = labels;
  r.rows = static_cast<std::int64_t>(gold.size());
  r.confusion.assign(n, std::vector<std::int64_t>(n, 0));
  for (std::size_t i = 0; i < gold.size(); ++i) {
    if (gold[i] < 0 || static_cast<std::size_t>(gold[i]) >= n || predicted[i] < 0 || static_cast<std::size_t>(predicted[i]) >= n)
      throw std::invalid_argument("a label id lies outside the label map");
    ++r.confusion[static_cast<std::size_t>(gold[i])][static_cast<std::size_t>(predicted[i])];
  }
  double f1Sum = 0.0;
  int supported = 0;
  for (std::size_t c = 0; c < n; ++c) {
    ClassScore s;
    s.label = labels[c];
    for (std::size_t k = 0; k < n; ++k) {
      s.support += r.confusion[c][k];
      s.predicted += r.confusion[k][c];
    }
    const auto hit = static_cast<double>(r.confusion[c][c]);
    s.precision = s.predicted ? hit / static_cast<double>(s.predicted) : 0.0;
    s.recall = s.support ? hit / static_cast<double>(s.support) : 0.0;
    s.f1 = s.precision + s.recall > 0.0 ? 2.0 * s.precision * s.recall / (s.precision + s.recall) : 0.0;
    if (s.support) f1Sum += s.f1, ++supported;
    r.classes.push_back(s);
  }
  r.macroF1 = supported ? f1Sum / supported : 0.0;
  r.accuracy = train::accuracy(predicted, gold);
  const auto none = std::find(labels.begin(), labels.end(), noRelationLabel);
  r.relationMicroF1 = train::microF1WithoutNoRelation(
      predicted, gold, none == labels.end() ? -1 : static_cast<int>(none - labels.begin()));
  return r;
}

}  // namespace foldbench::analysis
