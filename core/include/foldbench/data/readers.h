#pragma once
// Dataset readers. Each returns the rows it accepted and records in `report` every repair and
// every problem (file, line, field). Under BadRowPolicy::Stop any problem ends in a DataError
// after the whole file was read; under Skip the bad rows are dropped and listed.
#include <string>

#include "foldbench/data/dataset_format.h"
#include "foldbench/data/diagnostics.h"
#include "foldbench/data/example.h"
#include "foldbench/data/label_map.h"

namespace foldbench::data {

struct ColumnMapping {
  std::string text = "sentence";
  std::string label = "label";
  std::string id;  // optional: row number when empty
  char delimiter = 0;  // 0: tab for .tsv files, comma otherwise
};

// `labels` may be null: labels are then accepted as they come (see loadDataset).
Dataset readCompetitionTsv(const std::string& path, const LabelMap* labels, const ReadOptions& options,
                           LoadReport& report);
Dataset readKlueJson(const std::string& path, const LabelMap* labels, const ReadOptions& options,
                     LoadReport& report);
Dataset readTextCsv(const std::string& path, const ColumnMapping& columns, const LabelMap* labels,
                    const ReadOptions& options, LoadReport& report);

DatasetFormat detectFormat(const std::string& path);
DatasetFormat parseFormat(const std::string& name);  // "auto", "tsv", "json", "csv" and aliases (--data-format)

// Reads any format and fills Example::labelId from `labels` (when given) or from a label map
// derived from the data, which is stored in `labels` on return if it was empty.
Dataset loadDataset(const std::string& path, DatasetFormat format, LabelMap& labels,
                    const ReadOptions& options, LoadReport& report,
                    const ColumnMapping& columns = ColumnMapping());

}  // namespace foldbench::data
