#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "foldbench/data/example.h"

namespace foldbench::data {

// Label names and their integer ids. Ids are dense, 0..size()-1, as the competition's
// submission format requires.
class LabelMap {
 public:
  LabelMap() = default;

  // Reads `name<TAB>id` lines. Throws DataError naming file, line and field on bad lines,
  // duplicate names or ids, or ids that are not 0..n-1.
  static LabelMap readFile(const std::string& path);
  // Labels in order of first appearance after sorting by name, so the map does not depend on
  // row order. The blind label is ignored.
  static LabelMap fromExamples(const std::vector<Example>& rows);

  // Ids in the given order. Throws std::invalid_argument on a duplicate name.
  static LabelMap fromNames(const std::vector<std::string>& names);

  void writeFile(const std::string& path) const;

  std::optional<int> idOf(const std::string& name) const;
  const std::string& nameOf(int id) const { return names_.at(static_cast<std::size_t>(id)); }
  int size() const { return static_cast<int>(names_.size()); }
  const std::vector<std::string>& names() const { return names_; }

 private:
  void add(const std::string& name);
  std::vector<std::string> names_;
  std::map<std::string, int> ids_;
};

}  // namespace foldbench::data
