#include <algorithm>
#include "args.h"

#include "foldbench/platform/workspace.h"

namespace foldbench::cli {

Args::Args(int argc, char** argv, int first, const std::set<std::string>& flags) {
  for (int i = first; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0 || arg == "--") {
      positional_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    const auto eq = name.find('=');
    if (eq != std::string::npos) {
      values_[name.substr(0, eq)] = name.substr(eq + 1);
      allValues_.emplace_back(name.substr(0, eq), name.substr(eq + 1));
    } else if (flags.count(name)) {
      flags_.insert(name);
    } else {
      if (i + 1 >= argc) throw UsageError("option --" + name + " needs a value");
      values_[name] = argv[++i];
      allValues_.emplace_back(name, argv[i]);
    }
  }
}

std::optional<std::string> Args::value(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Args::value(const std::string& name, const std::string& fallback) const {
  return value(name).value_or(fallback);
}

std::vector<std::string> Args::values(const std::string& name) const {
  std::vector<std::string> all;
  for (const auto& [n, v] : allValues_)
    if (n == name) all.push_back(v);
  return all;
}

int Args::intValue(const std::string& name, int fallback) const {
  const auto v = value(name);
  if (!v) return fallback;
  try {
    std::size_t used = 0;
    const int n = std::stoi(*v, &used);
    if (used != v->size()) throw std::invalid_argument("");
    return n;
  } catch (const std::exception&) {
    throw UsageError("option --" + name + " needs an integer, not '" + *v + "'");
  }
}

void Args::allowOnly(const std::set<std::string>& known) const {
  for (const auto& [name, v] : values_)
    if (!known.count(name)) throw UsageError("unknown option --" + name);
  for (const auto& name : flags_)
    if (!known.count(name)) throw UsageError("unknown option --" + name);
}

std::vector<std::string> splitCommaList(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = std::min(text.find(',', start), text.size());
    if (comma > start) items.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return items;
}

std::string trackerPath(const Args& args) {
  if (auto path = args.value("db")) return *path;
  return platform::defaultDatabasePath();
}

}  // namespace foldbench::cli
