#include "line_splitter.h"

#include <cerrno>
#include <climits>
#include <cstdlib>

namespace foldbench::data {

std::vector<std::string> splitTsvLine(const std::string& line, char delim) {
  std::vector<std::string> fields;
  std::size_t i = 0;
  while (true) {
    std::string field;
    if (i < line.size() && line[i] == '"') {
      // Quoted field: read to the closing quote; accept it only if a delimiter or the end
      // follows, otherwise fall back to the raw text.
      std::size_t j = i + 1;
      std::string unquoted;
      bool closed = false;
      while (j < line.size()) {
        if (line[j] == '"') {
          if (j + 1 < line.size() && line[j + 1] == '"') {
            unquoted.push_back('"');
            j += 2;
            continue;
          }
          closed = true;
          ++j;
          break;
        }
        unquoted.push_back(line[j++]);
      }
      if (closed && (j == line.size() || line[j] == delim)) {
        fields.push_back(std::move(unquoted));
        if (j == line.size()) return fields;
        i = j + 1;
        continue;
      }
    }
    const std::size_t end = line.find(delim, i);
    fields.push_back(line.substr(i, end == std::string::npos ? std::string::npos : end - i));
    if (end == std::string::npos) return fields;
    i = end + 1;
  }
}

void stripLineEnd(std::string& line) {
  if (!line.empty() && line.back() == '\r') line.pop_back();
}

void stripBom(std::string& line) {
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
}

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::optional<int> parseInt(const std::string& s) {
  if (s.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const long v = std::strtol(s.c_str(), &end, 10);
  if (errno != 0 || end != s.c_str() + s.size() || v < INT_MIN || v > INT_MAX) return std::nullopt;
  if (s[0] == ' ' || s[0] == '\t' || s[0] == '+') return std::nullopt;
  return static_cast<int>(v);
}

}  // namespace foldbench::data
