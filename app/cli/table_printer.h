#pragma once
// Aligned text tables, CSV and JSON for command output. Column widths count wide (Hangul,
// CJK) characters as two cells, so Korean labels line up on a terminal.
#include <string>
#include <vector>

namespace foldbench::cli {

std::size_t displayWidth(const std::string& utf8);

class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  std::string text() const;
  std::string csv() const;
  std::string json() const;  // an array of objects keyed by the header
  bool empty() const { return rows_.empty(); }

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

std::string formatNumber(double value, int precision = 4);
std::string formatTime(double secondsSinceEpoch);

}  // namespace foldbench::cli
