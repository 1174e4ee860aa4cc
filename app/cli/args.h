#pragma once
// A small command-line parser: positional words plus --name VALUE / --flag options.
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace foldbench::cli {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Args {
 public:
  // `flags` are options without a value; every other --option takes one.
  Args(int argc, char** argv, int first, const std::set<std::string>& flags);

  const std::vector<std::string>& positional() const { return positional_; }
  std::optional<std::string> value(const std::string& name) const;
  std::string value(const std::string& name, const std::string& fallback) const;
  // Every value of an option given more than once (--set A=1 --set B=2), in order; value() is the last.
  std::vector<std::string> values(const std::string& name) const;
  int intValue(const std::string& name, int fallback) const;
  bool flag(const std::string& name) const { return flags_.count(name) > 0; }
  // Throws UsageError naming any option not in `known`.
  void allowOnly(const std::set<std::string>& known) const;

 private:
  std::vector<std::string> positional_;
  std::map<std::string, std::string> values_;
  std::vector<std::pair<std::string, std::string>> allValues_;
  std::set<std::string> flags_;
};

// --db PATH, else the tracker the workspace rule names (platform/workspace.h).
std::string trackerPath(const Args& args);

// "a,b,,c" -> {"a", "b", "c"}: the lists options take (--run, --tag, --columns).
std::vector<std::string> splitCommaList(const std::string& text);

}  // namespace foldbench::cli
