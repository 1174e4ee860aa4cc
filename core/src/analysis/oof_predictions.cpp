#include "foldbench/analysis/oof_predictions.h"

#include <fstream>
#include <stdexcept>

#include "foldbench/util/numbers.h"

namespace foldbench::analysis {

namespace {

std::vector<std::string> splitTabs(const std::string& line) {
  std::vector<std::string> cells;
  std::size_t start = 0;
  while (true) {
    const auto tab = line.find('\t', start);
    cells.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) return cells;
    start = tab + 1;
  }
}

int parseIndex(const std::string& text, int bound, const std::string& where, const char* field) {
  const auto value = util::parseDouble(text);
  if (!value || *value != static_cast<int>(*value) || *value < 0 || *value >= bound)
    throw std::runtime_error(where + ": " + field + " '" + text + "' is not an integer in 0.." + std::to_string(bound - 1));
  return static_cast<int>(*value);
}

}  // namespace

OofPredictions readOofPredictions(const std::string& path, bool keepProbabilities) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot open the out-of-fold predictions");
  std::string line;
  if (!std::getline(in, line)) throw std::runtime_error(path + ":1: empty file, expected a header");
  const auto header = splitTabs(line);
  if (header.size() < 4 || header[0] != "id" || header[1] != "label" || header[2] != "fold")
    throw std::runtime_error(path + ":1: the header must be id, label, fold and one column per label");
  OofPredictions out;
  out.labels.assign(header.begin() + 3, header.end());
  const int labelCount = static_cast<int>(out.labels.size());
  std::vector<float> row(out.labels.size());
  for (int lineNo = 2; std::getline(in, line); ++lineNo) {
    if (line.empty()) continue;
    const auto cells = splitTabs(line);
    const std::string where = path + ":" + std::to_string(lineNo);
    if (cells.size() != header.size())
      throw std::runtime_error(where + ": " + std::to_string(cells.size()) + " fields, the header has " +
                               std::to_string(header.size()));
    out.ids.push_back(cells[0]);
    out.gold.push_back(parseIndex(cells[1], labelCount, where, "label"));
    out.folds.push_back(parseIndex(cells[2], 1 << 20, where, "fold"));
    int best = 0;
    for (int c = 0; c < labelCount; ++c) {
      const auto p = util::parseFloat(cells[static_cast<std::size_t>(c) + 3]);
      if (!p) throw std::runtime_error(where + ": probability of '" + out.labels[static_cast<std::size_t>(c)] + "' ('" +
                                       cells[static_cast<std::size_t>(c) + 3] + "') is not a number");
      row[static_cast<std::size_t>(c)] = *p;
      if (row[static_cast<std::size_t>(c)] > row[static_cast<std::size_t>(best)]) best = c;
    }
    out.predicted.push_back(best);
    if (keepProbabilities) out.probabilities.push_back(row);
  }
  return out;
}

}  // namespace foldbench::analysis
