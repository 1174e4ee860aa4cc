#pragma once
// What the workbench shows about a dataset: loaded by the core, held as plain data.
#include <optional>
#include <string>
#include <vector>

#include "foldbench/data/dataset_stats.h"
#include "foldbench/data/diagnostics.h"
#include "foldbench/data/label_map.h"

namespace foldbench::ui {

struct DatasetSnapshot {
  std::string path;
  std::string labelsPath;  // empty: labels derived from the data
  bool usable = false;
  std::string error;       // why the file could not be used, when !usable
  data::DatasetSummary summary;
  data::LoadReport report;
  data::LabelMap labels;
};

// Reads `path` with the core readers. Never throws: failures are reported in the snapshot.
DatasetSnapshot loadSnapshot(const std::string& path, const std::string& labelsPath,
                             data::BadRowPolicy policy = data::BadRowPolicy::Stop);

}  // namespace foldbench::ui
