#pragma once
// Locale-independent number text. The GUI sets the process locale (LC_NUMERIC may use a comma),
// and strtod, std::stod, std::to_string(double) and printf("%f") follow it; every number that
// the core parses or prints goes through these instead.
#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace foldbench::util {

// The whole text as a number ("1e-3", "-0.5", "7"); nullopt for anything else, including
// partial matches ("1.5x") and an empty string. A leading '+' is accepted, as strtod does.
inline std::optional<double> parseDouble(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Shortest text that reads back as the same double ("0.1", "5e-05", "1000").
inline std::string formatDouble(double value) {
  char buffer[64];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return error == std::errc() ? std::string(buffer, end) : std::string("nan");
}

// Shortest text that reads back (parseFloat) as the very same float: at most 9 significant
// digits, which is what a float needs (max_digits10). For stored probabilities, where a
// 6-digit rounding flips near ties.
inline std::string formatFloat(float value) {
  char buffer[64];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return error == std::errc() ? std::string(buffer, end) : std::string("nan");
}

// As parseDouble, read straight as a float: no double rounding on the way.
inline std::optional<float> parseFloat(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  float value = 0.0f;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Fixed notation with `decimals` digits after the point ("0.9995", "3.14").
inline std::string formatFixed(double value, int decimals) {
  char buffer[384];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, decimals);
  return error == std::errc() ? std::string(buffer, end) : formatDouble(value);
}

}  // namespace foldbench::util
