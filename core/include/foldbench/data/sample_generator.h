#pragma once
// Deterministic generator of a small synthetic Korean relation-extraction dataset in the
// competition TSV format: templated sentences over invented names, a skewed label
// distribution with one rare label, and a few deliberately shifted offsets so the repair
// path is exercised. Every sentence is produced here from the templates below.
#include <cstdint>
#include <string>

#include "foldbench/data/example.h"
#include "foldbench/data/label_map.h"

namespace foldbench::data {

struct SampleOptions {
  int trainRows = 480;
  int testRows = 120;
  std::uint64_t seed = 2021;
  int shiftedOffsets = 3;  // training rows whose subject offsets are moved by one character
};

struct SampleData {
  LabelMap labels;
  Dataset train;
  Dataset test;  // labels are "blind"
};

SampleData generateSample(const SampleOptions& options = SampleOptions());

// Writes train.tsv, test.tsv and labels.tsv into `directory` (created if needed). Refuses to
// replace existing files unless `overwrite`.
void writeSample(const SampleData& sample, const std::string& directory, bool overwrite);

void writeCompetitionTsv(const Dataset& data, const std::string& path);

}  // namespace foldbench::data
