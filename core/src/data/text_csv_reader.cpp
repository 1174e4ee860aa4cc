#include <fstream>

#include "foldbench/data/readers.h"
#include "line_splitter.h"
#include "row_checker.h"

namespace foldbench::data {

Dataset readTextCsv(const std::string& path, const ColumnMapping& columns, const LabelMap* labels,
                    const ReadOptions& options, LoadReport& report) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError("cannot open dataset", {{path, 0, "", "file cannot be opened"}});
  const char delim = columns.delimiter ? columns.delimiter : (endsWith(path, ".tsv") ? '\t' : ',');
  RowChecker checker(path, labels, options, report);
  Dataset data{path, {}};

  std::string line;
  int lineNo = 0;
  std::vector<std::string> header;
  while (header.empty() && std::getline(in, line)) {
    ++lineNo;
    stripLineEnd(line);
    if (lineNo == 1) stripBom(line);
    if (!line.empty()) header = splitTsvLine(line, delim);
  }
  if (header.empty()) checker.finishFile(0, 0);

  const auto columnIndex = [&](const std::string& name) -> int {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return static_cast<int>(i);
    return -1;
  };
  const int textCol = columnIndex(columns.text);
  const int labelCol = columnIndex(columns.label);
  const int idCol = columns.id.empty() ? -1 : columnIndex(columns.id);
  std::vector<Problem> missing;
  for (const auto& [name, index] : {std::pair{columns.text, textCol}, {columns.label, labelCol}})
    if (index < 0) missing.push_back({path, lineNo, name, "column not found in the header"});
  if (!columns.id.empty() && idCol < 0) missing.push_back({path, lineNo, columns.id, "column not found in the header"});
  if (!missing.empty()) throw DataError(path + ": header does not have the mapped columns", missing);

  std::size_t rowsRead = 0;
  while (std::getline(in, line)) {
    ++lineNo;
    stripLineEnd(line);
    if (line.empty()) continue;
    ++rowsRead;
    checker.mark();
    const auto fields = splitTsvLine(line, delim);
    Example row;
    row.sourceLine = lineNo;
    if (fields.size() != header.size()) {
      checker.problem(lineNo, "", "expected " + std::to_string(header.size()) + " columns as in the header, found " +
                                      std::to_string(fields.size()));
    } else {
      row.sentence = fields[static_cast<std::size_t>(textCol)];
      row.label = fields[static_cast<std::size_t>(labelCol)];
      row.id = idCol >= 0 ? fields[static_cast<std::size_t>(idCol)] : std::to_string(rowsRead - 1);
      checker.check(row);
    }
    if (checker.finishRow(lineNo)) data.rows.push_back(std::move(row));
  }
  checker.finishFile(rowsRead, data.rows.size());
  return data;
}

}  // namespace foldbench::data
