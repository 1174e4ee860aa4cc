#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "foldbench/data/readers.h"
#include "row_checker.h"

namespace foldbench::data {

namespace {

using nlohmann::json;

// Reads one KLUE record. `line` is the line for JSON Lines and the record number for arrays.
bool readRecord(const json& record, int line, const LabelMap* labels, RowChecker& checker, Example& row) {
  if (!record.is_object()) {
    checker.problem(line, "", "record is not a JSON object");
    return false;
  }
  const auto str = [&](const json& obj, const char* key, const std::string& field, std::string& out) {
    const auto it = obj.find(key);
    if (it == obj.end() || !it->is_string()) {
      checker.problem(line, field, "missing or not a string");
      return false;
    }
    out = it->get<std::string>();
    return true;
  };
  const auto integer = [&](const json& obj, const char* key, const std::string& field, int& out) {
    const auto it = obj.find(key);
    if (it == obj.end() || !it->is_number_integer()) {
      checker.problem(line, field, "missing or not an integer");
      return false;
    }
    out = it->get<int>();
    return true;
  };
  const auto entity = [&](const char* key, EntitySpan& out) {
    const auto it = record.find(key);
    if (it == record.end() || !it->is_object()) {
      checker.problem(line, key, "missing or not an object");
      return false;
    }
    const std::string prefix = std::string(key) + ".";
    bool ok = str(*it, "word", prefix + "word", out.text);
    ok = integer(*it, "start_idx", prefix + "start_idx", out.start) && ok;
    ok = integer(*it, "end_idx", prefix + "end_idx", out.end) && ok;
    if (it->contains("type") && (*it)["type"].is_string()) out.type = (*it)["type"].get<std::string>();
    return ok;
  };

  bool ok = true;
  if (record.contains("guid") && record["guid"].is_number_integer())
    row.id = std::to_string(record["guid"].get<long long>());
  else
    ok = str(record, "guid", "guid", row.id) && ok;
  ok = str(record, "sentence", "sentence", row.sentence) && ok;
  ok = entity("subject_entity", row.subject) && ok;
  ok = entity("object_entity", row.object) && ok;
  const auto label = record.find("label");
  if (label != record.end() && label->is_number_integer()) {
    // Hugging Face's copy stores label ids; map them through the label map.
    const int id = label->get<int>();
    if (id >= 0 && labels && id < labels->size()) {
      row.label = labels->nameOf(id);
    } else if (id == 100 || id < 0) {
      row.label = kBlindLabel;  // KLUE's test split marks unlabelled rows with 100
    } else {
      checker.problem(line, "label", "label id " + std::to_string(id) + " is not in the label map");
      ok = false;
    }
  } else {
    ok = str(record, "label", "label", row.label) && ok;
  }
  row.sourceLine = line;
  return ok;
}

}  // namespace

Dataset readKlueJson(const std::string& path, const LabelMap* labels, const ReadOptions& options,
                     LoadReport& report) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError("cannot open dataset", {{path, 0, "", "file cannot be opened"}});
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string content = buffer.str();
  RowChecker checker(path, labels, options, report);
  Dataset data{path, {}};
  std::size_t rowsRead = 0;

  const auto take = [&](const json& record, int line) {
    ++rowsRead;
    checker.mark();
    Example row;
    if (readRecord(record, line, labels, checker, row)) checker.check(row);
    if (checker.finishRow(line)) data.rows.push_back(std::move(row));
  };

  const auto first = content.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (first != std::string::npos && content[first] == '[') {
    json records;
    try {
      records = json::parse(content);
    } catch (const json::parse_error& e) {
      checker.problem(0, "", std::string("not valid JSON: ") + e.what());
      checker.finishFile(0, 0);
    }
    int index = 0;
    for (const auto& record : records) take(record, ++index);
  } else {
    std::istringstream lines(content);
    std::string text;
    int lineNo = 0;
    while (std::getline(lines, text)) {
      ++lineNo;
      if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
      try {
        take(json::parse(text), lineNo);
      } catch (const json::parse_error& e) {
        ++rowsRead;
        checker.mark();
        checker.problem(lineNo, "", std::string("not valid JSON: ") + e.what());
        checker.finishRow(lineNo);
      }
    }
  }
  checker.finishFile(rowsRead, data.rows.size());
  return data;
}

}  // namespace foldbench::data
