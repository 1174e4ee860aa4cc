#include "row_checker.h"

#include <algorithm>
#include <cstdlib>

#include "foldbench/text/utf8.h"

namespace foldbench::data {

using text::decodeUtf8;
using text::encodeUtf8;
using text::findInvalidUtf8;

RowChecker::RowChecker(std::string file, const LabelMap* labels, const ReadOptions& options,
                       LoadReport& report)
    : file_(std::move(file)), labels_(labels), options_(options), report_(report) {}

void RowChecker::problem(int line, std::string field, std::string message) {
  report_.add({file_, line, std::move(field), std::move(message)}, options_.maxProblems);
}

bool RowChecker::check(Example& row) {
  const std::size_t before = report_.problemCount;
  const int line = row.sourceLine;
  for (auto [value, field] : {std::pair{&row.sentence, "sentence"}, {&row.subject.text, "subject"},
                              {&row.object.text, "object"}, {&row.id, "id"}, {&row.label, "label"}}) {
    const auto bad = findInvalidUtf8(*value);
    if (bad != std::string::npos) {
      problem(line, field, "invalid UTF-8 at byte " + std::to_string(bad));
      return false;
    }
  }
  if (row.sentence.empty()) problem(line, "sentence", "empty sentence");
  if (row.id.empty()) problem(line, "id", "empty id");

  if (row.hasEntities()) {
    const std::u32string sentence = decodeUtf8(row.sentence);
    const bool subjectOk = checkEntity(row, row.subject, "subject", sentence);
    const bool objectOk = checkEntity(row, row.object, "object", sentence);
    if (subjectOk && objectOk && row.subject.start <= row.object.end && row.object.start <= row.subject.end)
      report_.overlappingLines.push_back(line);
  }

  if (row.label.empty()) {
    problem(line, "label", "empty label");
  } else if (row.label == kBlindLabel) {
    if (!options_.allowBlind) problem(line, "label", "unlabelled row ('blind') in a training file");
  } else if (labels_ && !labels_->idOf(row.label)) {
    problem(line, "label", "unknown label '" + row.label + "' (not in the label map)");
  }

  if (!row.id.empty()) {
    const auto [it, inserted] = idLines_.emplace(row.id, line);
    if (!inserted)
      problem(line, "id", "duplicate id '" + row.id + "' (first on line " + std::to_string(it->second) + ")");
  }
  return report_.problemCount == before;
}

bool RowChecker::checkEntity(Example& row, EntitySpan& entity, const char* field, const std::u32string& sentence) {
  const int line = row.sourceLine;
  const std::string startField = std::string(field) + "_start";
  if (entity.text.empty()) {
    problem(line, field, "empty entity text");
    return false;
  }
  if (entity.start < 0 || entity.end < entity.start) {
    problem(line, startField,
            "bad offsets " + std::to_string(entity.start) + ".." + std::to_string(entity.end));
    return false;
  }
  const bool inside = entity.end < static_cast<int>(sentence.size());
  const std::u32string wanted = decodeUtf8(entity.text);
  const auto matchesAt = [&](int pos) {
    return pos >= 0 && static_cast<std::size_t>(pos) + wanted.size() <= sentence.size() &&
           sentence.compare(static_cast<std::size_t>(pos), wanted.size(), wanted) == 0;
  };
  if (inside && matchesAt(entity.start) && entity.end - entity.start + 1 == static_cast<int>(wanted.size()))
    return true;

  const std::string where = inside ? "the sentence has '" +
                                         encodeUtf8(sentence.substr(static_cast<std::size_t>(entity.start),
                                                                    static_cast<std::size_t>(entity.end - entity.start + 1))) +
                                         "' there"
                                   : "offsets " + std::to_string(entity.start) + ".." + std::to_string(entity.end) +
                                         " lie outside the sentence of " + std::to_string(sentence.size()) +
                                         " characters";
  if (!options_.repairOffsets) {
    problem(line, startField, "offsets do not match the entity text '" + entity.text + "': " + where);
    return false;
  }
  // The nearest occurrence within the window; on a tie the earlier one.
  int best = -1;
  for (int delta = 0; delta <= options_.repairWindow && best < 0; ++delta) {
    if (matchesAt(entity.start - delta)) best = entity.start - delta;
    else if (matchesAt(entity.start + delta)) best = entity.start + delta;
  }
  if (best < 0) {
    problem(line, startField,
            "entity text '" + entity.text + "' not found within " + std::to_string(options_.repairWindow) +
                " characters of offset " + std::to_string(entity.start) + "; " + where);
    return false;
  }
  OffsetRepair repair{line, field, entity.start, entity.end, best, best + static_cast<int>(wanted.size()) - 1};
  entity.start = repair.newStart;
  entity.end = repair.newEnd;
  report_.repairs.push_back(repair);
  return true;
}

bool RowChecker::finishRow(int line) {
  if (problemsSinceMark() == 0) return true;
  if (options_.policy == BadRowPolicy::Skip) report_.skippedLines.push_back(line);
  return false;
}

void RowChecker::finishFile(std::size_t rowsRead, std::size_t rowsKept) {
  if (rowsRead == 0 && report_.problemCount == 0) problem(0, "", "file is empty");
  else if (rowsKept == 0 && options_.policy == BadRowPolicy::Skip) problem(0, "", "no usable row among " + std::to_string(rowsRead));
  if (rowsKept == 0 || (options_.policy == BadRowPolicy::Stop && report_.problemCount > 0)) {
    std::string summary = file_ + ": " + std::to_string(report_.problemCount) + " problem(s)";
    if (report_.problemCount > report_.problems.size())
      summary += ", first " + std::to_string(report_.problems.size()) + " listed";
    throw DataError(summary, report_.problems);
  }
}

}  // namespace foldbench::data
