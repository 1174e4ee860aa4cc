#include <stdexcept>

#include "foldbench/data/readers.h"
#include "line_splitter.h"

namespace foldbench::data {

DatasetFormat detectFormat(const std::string& path) {
  if (endsWith(path, ".json") || endsWith(path, ".jsonl")) return DatasetFormat::KlueJson;
  if (endsWith(path, ".csv")) return DatasetFormat::TextCsv;
  return DatasetFormat::CompetitionTsv;
}

DatasetFormat parseFormat(const std::string& name) {
  for (const auto& [format, spelling] : EnumNames<DatasetFormat>::all())
    if (name == spelling) return format;
  if (name == "competition") return DatasetFormat::CompetitionTsv;  // aliases --data-format also takes
  if (name == "jsonl" || name == "klue") return DatasetFormat::KlueJson;
  throw std::invalid_argument("unknown dataset format '" + name + "' (auto, tsv, json, csv)");
}

Dataset loadDataset(const std::string& path, DatasetFormat format, LabelMap& labels, const ReadOptions& options,
                    LoadReport& report, const ColumnMapping& columns) {
  if (format == DatasetFormat::Auto) format = detectFormat(path);
  const LabelMap* known = labels.size() > 0 ? &labels : nullptr;
  Dataset data;
  switch (format) {
    case DatasetFormat::KlueJson: data = readKlueJson(path, known, options, report); break;
    case DatasetFormat::TextCsv: data = readTextCsv(path, columns, known, options, report); break;
    default: data = readCompetitionTsv(path, known, options, report); break;
  }
  if (!known) labels = LabelMap::fromExamples(data.rows);
  for (auto& row : data.rows) row.labelId = labels.idOf(row.label).value_or(-1);
  return data;
}

}  // namespace foldbench::data
