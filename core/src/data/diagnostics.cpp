#include "foldbench/data/diagnostics.h"

#include <sstream>

namespace foldbench::data {

std::string Problem::toString() const {
  std::ostringstream out;
  out << file;
  if (line > 0) out << ':' << line;
  if (!field.empty()) out << ": field '" << field << "'";
  out << ": " << message;
  return out.str();
}

void LoadReport::add(Problem p, std::size_t cap) {
  ++problemCount;
  if (problems.size() < cap) problems.push_back(std::move(p));
}

namespace {
std::string describe(const std::string& summary, const std::vector<Problem>& problems) {
  std::string text = summary;
  for (const auto& p : problems) text += "\n  " + p.toString();
  return text;
}
}  // namespace

DataError::DataError(std::string summary, std::vector<Problem> problems)
    : std::runtime_error(describe(summary, problems)), problems_(std::move(problems)) {}

}  // namespace foldbench::data
