#pragma once
// Run filters typed by users, e.g.
//   cv/val/acc/mean > 0.65 and status = finished and not tag = smoke
//   params.model.family = ngram or name ~ klue
// parsed into a WHERE clause with bound parameters: user text never becomes SQL.
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "foldbench/tracker/known_names.h"

namespace foldbench::tracker {

class FilterError : public std::invalid_argument {
 public:
  // "filter: MESSAGE at character N" followed by `hint` ("; did you mean 'finished'?").
  FilterError(const std::string& message, std::size_t position, const std::string& hint = "");
  std::size_t position() const { return position_; }

 private:
  std::size_t position_;
};

using SqlValue = std::variant<double, std::string>;

struct SqlFilter {
  std::string where;  // refers to the runs table as r; "1" when the filter is empty
  std::vector<SqlValue> parameters;
};

// Fields: status, name, experiment, uid, host, device, created (seconds since the epoch), tag,
// params.<config key>, and any namespaced field ("cv/val/acc/mean"). Operators:
// = != < <= > >= and ~ (contains). Values: numbers, bare words or quoted strings.
// With `known`, a field no run holds and a status that does not exist are errors at their
// position, with the nearest name suggested.
SqlFilter parseFilter(const std::string& expression, const KnownNames* known = nullptr);

}  // namespace foldbench::tracker
