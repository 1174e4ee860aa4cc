#include <fstream>

#include "foldbench/data/readers.h"
#include "line_splitter.h"
#include "row_checker.h"

namespace foldbench::data {

namespace {
constexpr const char* kColumns[] = {"id",     "sentence",     "subject",    "subject_start", "subject_end",
                                    "object", "object_start", "object_end", "label"};
constexpr std::size_t kColumnCount = 9;
}  // namespace

Dataset readCompetitionTsv(const std::string& path, const LabelMap* labels, const ReadOptions& options,
                           LoadReport& report) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError("cannot open dataset", {{path, 0, "", "file cannot be opened"}});
  RowChecker checker(path, labels, options, report);
  Dataset data{path, {}};
  std::string line;
  int lineNo = 0;
  std::size_t rowsRead = 0;
  while (std::getline(in, line)) {
    ++lineNo;
    stripLineEnd(line);
    if (lineNo == 1) stripBom(line);
    if (line.empty()) continue;
    ++rowsRead;
    checker.mark();
    const auto fields = splitTsvLine(line);
    if (fields.size() != kColumnCount) {
      checker.problem(lineNo, "", "expected 9 tab-separated columns (id, sentence, subject, subject_start, "
                                  "subject_end, object, object_start, object_end, label), found " +
                                      std::to_string(fields.size()));
      checker.finishRow(lineNo);
      continue;
    }
    int offsets[4] = {0, 0, 0, 0};
    const std::size_t offsetColumns[4] = {3, 4, 6, 7};
    for (int k = 0; k < 4; ++k) {
      const auto value = parseInt(fields[offsetColumns[k]]);
      if (!value)
        checker.problem(lineNo, kColumns[offsetColumns[k]], "not an integer: '" + fields[offsetColumns[k]] + "'");
      else
        offsets[k] = *value;
    }
    Example row;
    row.id = fields[0];
    row.sentence = fields[1];
    row.subject = {fields[2], offsets[0], offsets[1], ""};
    row.object = {fields[5], offsets[2], offsets[3], ""};
    row.label = fields[8];
    row.sourceLine = lineNo;
    if (checker.problemsSinceMark() == 0) checker.check(row);
    if (checker.finishRow(lineNo)) data.rows.push_back(std::move(row));
  }
  checker.finishFile(rowsRead, data.rows.size());
  return data;
}

}  // namespace foldbench::data
