#include "foldbench/data/dataset_stats.h"

#include <algorithm>
#include <numeric>

#include "foldbench/text/utf8.h"

namespace foldbench::data {

LengthStats lengthStats(std::vector<std::size_t> values) {
  LengthStats s;
  s.count = values.size();
  if (values.empty()) return s;
  std::sort(values.begin(), values.end());
  s.min = values.front();
  s.max = values.back();
  s.p50 = values[(values.size() - 1) / 2];
  s.p95 = values[(values.size() - 1) * 95 / 100];
  s.mean = static_cast<double>(std::accumulate(values.begin(), values.end(), std::size_t{0})) /
           static_cast<double>(values.size());
  return s;
}

DatasetSummary summarize(const Dataset& data, const LabelMap& labels) {
  DatasetSummary summary;
  summary.rows = data.rows.size();
  for (int id = 0; id < labels.size(); ++id) summary.labels.push_back({labels.nameOf(id), id, 0});
  std::vector<std::size_t> lengths;
  lengths.reserve(data.rows.size());
  for (const auto& r : data.rows) {
    if (r.labelId >= 0 && r.labelId < labels.size()) ++summary.labels[static_cast<std::size_t>(r.labelId)].rows;
    else if (r.label == kBlindLabel) ++summary.blindRows;
    lengths.push_back(text::codePointCount(r.sentence));
  }
  summary.sentenceChars = lengthStats(std::move(lengths));
  return summary;
}

}  // namespace foldbench::data
