#pragma once
// Closed sets are enums, so a misspelt value is a compile error. Each enum meets its names in
// one place, a specialisation of EnumNames beside its declaration; JSON, the database, the form
// and the command line all convert through nameOf and enumFromString.
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace foldbench {

template <typename E>
struct EnumNames;  // static const std::vector<std::pair<E, const char*>>& all();

// Specialises EnumNames<Type> with the listed {value, "name"} pairs, in choice order; used at
// namespace foldbench scope: FOLDBENCH_ENUM_NAMES(data::BadRowPolicy, {Stop, "stop"}, ...).
#define FOLDBENCH_ENUM_NAMES(Type, ...)                                               \
  template <>                                                                         \
  struct EnumNames<Type> {                                                            \
    static const std::vector<std::pair<Type, const char*>>& all() {                   \
      static const std::vector<std::pair<Type, const char*>> names = {__VA_ARGS__};   \
      return names;                                                                   \
    }                                                                                 \
  };

template <typename E>
const char* nameOf(E value) {
  for (const auto& [v, name] : EnumNames<E>::all())
    if (v == value) return name;
  return "?";
}

// Throws std::invalid_argument naming the accepted values.
template <typename E>
E enumFromString(const std::string& text) {
  std::string accepted;
  for (const auto& [v, name] : EnumNames<E>::all()) {
    if (text == name) return v;
    accepted += (accepted.empty() ? "" : "|") + std::string(name);
  }
  throw std::invalid_argument("'" + text + "' is not one of " + accepted);
}

}  // namespace foldbench
