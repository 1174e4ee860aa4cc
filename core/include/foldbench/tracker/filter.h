#pragma once
// Run filters typed by users, e.g.
//   cv/val/acc/mean > 0.65 and status = finished and not tag = smoke
//   params.model.family = ngram or name ~ klue
// parsed into a WHERE clause with bound parameters: user text never becomes SQL.
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace foldbench::tracker {

class FilterError : public std::invalid_argument {
 public:
  FilterError(const std::string& message, std::size_t position);
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
SqlFilter parseFilter(const std::string& expression);

}  // namespace foldbench::tracker
