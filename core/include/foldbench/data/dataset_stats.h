#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "foldbench/data/example.h"
#include "foldbench/data/label_map.h"

namespace foldbench::data {

struct LengthStats {
  std::size_t count = 0, min = 0, max = 0, p50 = 0, p95 = 0;
  double mean = 0.0;
};

LengthStats lengthStats(std::vector<std::size_t> values);

struct LabelCount {
  std::string label;
  int id = -1;
  std::size_t rows = 0;
};

struct DatasetSummary {
  std::size_t rows = 0;
  std::size_t blindRows = 0;
  std::vector<LabelCount> labels;  // label map order, zero counts included
  LengthStats sentenceChars;
};

DatasetSummary summarize(const Dataset& data, const LabelMap& labels);

}  // namespace foldbench::data
