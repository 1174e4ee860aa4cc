#pragma once
// Checks shared by every reader: UTF-8, offsets, offset repair, overlap, label, duplicate id.
#include <string>
#include <unordered_map>

#include "foldbench/data/diagnostics.h"
#include "foldbench/data/example.h"
#include "foldbench/data/label_map.h"

namespace foldbench::data {

class RowChecker {
 public:
  RowChecker(std::string file, const LabelMap* labels, const ReadOptions& options, LoadReport& report);

  // Records a syntax problem found by the reader itself.
  void problem(int line, std::string field, std::string message);
  // Validates and possibly repairs `row`; true when it is usable.
  bool check(Example& row);
  // Applies the bad-row policy to a row that had problems (problemsSince() > 0).
  std::size_t problemsSinceMark() const { return report_.problemCount - mark_; }
  void mark() { mark_ = report_.problemCount; }
  // Keeps or drops the row read since mark(); returns true when it should be kept.
  bool finishRow(int line);
  // Throws DataError under the Stop policy when anything was wrong, and whenever no row is left.
  void finishFile(std::size_t rowsRead, std::size_t rowsKept);

 private:
  bool checkEntity(Example& row, EntitySpan& entity, const char* field, const std::u32string& sentence);

  std::string file_;
  const LabelMap* labels_;
  ReadOptions options_;
  LoadReport& report_;
  std::size_t mark_ = 0;
  std::unordered_map<std::string, int> idLines_;
};

}  // namespace foldbench::data
