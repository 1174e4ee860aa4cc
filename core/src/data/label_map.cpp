#include "foldbench/data/label_map.h"

#include "foldbench/platform/atomic_file.h"

#include <fstream>
#include <sstream>
#include <set>
#include <stdexcept>

#include "foldbench/data/diagnostics.h"
#include "line_splitter.h"

namespace foldbench::data {

LabelMap LabelMap::readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError("cannot open label map", {{path, 0, "", "file cannot be opened"}});
  std::vector<Problem> problems;
  std::map<int, std::pair<std::string, int>> byId;  // id -> (name, line)
  std::set<std::string> seen;
  std::string line;
  int lineNo = 0;
  while (std::getline(in, line)) {
    ++lineNo;
    stripLineEnd(line);
    if (line.empty()) continue;
    const auto fields = splitTsvLine(line);
    if (fields.size() != 2) {
      problems.push_back({path, lineNo, "", "expected 2 tab-separated columns (name, id), found " +
                                                std::to_string(fields.size())});
      continue;
    }
    const auto id = parseInt(fields[1]);
    if (!id || *id < 0) {
      problems.push_back({path, lineNo, "id", "not a non-negative integer: '" + fields[1] + "'"});
      continue;
    }
    if (!seen.insert(fields[0]).second)
      problems.push_back({path, lineNo, "name", "duplicate label '" + fields[0] + "'"});
    else if (byId.count(*id))
      problems.push_back({path, lineNo, "id", "id " + fields[1] + " already used on line " +
                                                  std::to_string(byId[*id].second)});
    else
      byId[*id] = {fields[0], lineNo};
  }
  if (lineNo == 0 || (byId.empty() && problems.empty()))
    problems.push_back({path, 0, "", "label map is empty"});
  int expected = 0;
  for (const auto& [id, entry] : byId) {
    if (id != expected) {
      problems.push_back({path, entry.second, "id",
                          "ids must be 0.." + std::to_string(byId.size() - 1) + " without gaps; missing " +
                              std::to_string(expected)});
      break;
    }
    ++expected;
  }
  if (!problems.empty()) throw DataError("invalid label map " + path, problems);
  LabelMap map;
  for (const auto& [id, entry] : byId) map.add(entry.first);
  return map;
}

LabelMap LabelMap::fromExamples(const std::vector<Example>& rows) {
  std::set<std::string> names;
  for (const auto& r : rows)
    if (r.label != kBlindLabel) names.insert(r.label);
  LabelMap map;
  for (const auto& n : names) map.add(n);
  return map;
}

LabelMap LabelMap::fromNames(const std::vector<std::string>& names) {
  LabelMap map;
  for (const auto& n : names) {
    if (map.idOf(n)) throw std::invalid_argument("duplicate label '" + n + "'");
    map.add(n);
  }
  return map;
}

void LabelMap::writeFile(const std::string& path) const {
  std::ostringstream out;
  for (std::size_t i = 0; i < names_.size(); ++i) out << names_[i] << '\t' << i << '\n';
  platform::writeFileAtomically(path, out.str());
}

std::optional<int> LabelMap::idOf(const std::string& name) const {
  const auto it = ids_.find(name);
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

void LabelMap::add(const std::string& name) {
  ids_[name] = static_cast<int>(names_.size());
  names_.push_back(name);
}

}  // namespace foldbench::data
