#include "table_printer.h"

#include <ctime>
#include <nlohmann/json.hpp>
#include <sstream>

#include "foldbench/text/utf8.h"

namespace foldbench::cli {

std::size_t displayWidth(const std::string& utf8) {
  std::size_t width = 0;
  for (char32_t c : text::decodeUtf8(utf8)) {
    const bool wide = (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
                      (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6);
    width += wide ? 2 : 1;
  }
  return width;
}

std::string Table::text() const {
  std::vector<std::size_t> widths(header_.size(), 0);
  const auto measure = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) widths[i] = std::max(widths[i], displayWidth(row[i]));
  };
  measure(header_);
  for (const auto& r : rows_) measure(r);
  std::ostringstream out;
  const auto line = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < widths.size(); ++i) {
      const std::string cell = i < row.size() ? row[i] : "";
      out << cell;
      if (i + 1 < widths.size()) out << std::string(widths[i] - displayWidth(cell) + 2, ' ');
    }
    out << '\n';
  };
  line(header_);
  for (const auto& r : rows_) line(r);
  return out.str();
}

std::string Table::csv() const {
  std::ostringstream out;
  const auto line = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      const std::string& cell = row[i];
      if (cell.find_first_of(",\"\n") != std::string::npos) {
        out << '"';
        for (char c : cell) out << (c == '"' ? "\"\"" : std::string(1, c));
        out << '"';
      } else {
        out << cell;
      }
      if (i + 1 < row.size()) out << ',';
    }
    out << '\n';
  };
  line(header_);
  for (const auto& r : rows_) line(r);
  return out.str();
}

std::string Table::json() const {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const auto& r : rows_) {
    nlohmann::ordered_json o;
    for (std::size_t i = 0; i < header_.size() && i < r.size(); ++i) o[header_[i]] = r[i];
    rows.push_back(o);
  }
  return rows.dump(2) + "\n";
}

std::string formatNumber(double value, int precision) {
  std::ostringstream s;
  s.precision(precision);
  s << std::fixed << value;
  return s.str();
}

std::string formatTime(double seconds) {
  if (seconds <= 0) return "";
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  localtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M", &tm);
  return text;
}

}  // namespace foldbench::cli
