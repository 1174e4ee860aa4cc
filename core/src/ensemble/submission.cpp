#include "foldbench/ensemble/submission.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <locale>
#include <nlohmann/json.hpp>
#include <sstream>

#include "foldbench/platform/atomic_file.h"

namespace foldbench::ensemble {

namespace fs = std::filesystem;

SubmissionFormat parseSubmissionFormat(const std::string& name) {
  if (name == "pstage") return SubmissionFormat::Pstage;
  if (name == "klue") return SubmissionFormat::Klue;
  if (name == "generic") return SubmissionFormat::Generic;
  throw std::invalid_argument("unknown submission format '" + name + "' (pstage, klue, generic)");
}

std::string submissionFormatName(SubmissionFormat format) {
  switch (format) {
    case SubmissionFormat::Pstage: return "pstage";
    case SubmissionFormat::Klue: return "klue";
    case SubmissionFormat::Generic: return "generic";
  }
  return "pstage";
}

namespace {

std::string csvCell(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? "\"\"" : std::string(1, c);
  return out + "\"";
}

std::vector<std::string> splitCsv(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') cell.push_back('"'), ++i;
      else if (c == '"') quoted = false;
      else cell.push_back(c);
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      cells.push_back(cell);
      cell.clear();
    } else {
      cell.push_back(c);
    }
  }
  cells.push_back(cell);
  return cells;
}

}  // namespace

void writeSubmission(const std::string& path, SubmissionFormat format, const Submission& s, const data::LabelMap& labels,
                     const std::vector<std::string>& testIds, bool overwrite) {
  if (s.predicted.size() != testIds.size() || s.ids.size() != testIds.size())
    throw std::runtime_error("the submission has " + std::to_string(s.predicted.size()) + " rows but the test file has " +
                             std::to_string(testIds.size()));
  for (std::size_t i = 0; i < testIds.size(); ++i)
    if (s.ids[i] != testIds[i])
      throw std::runtime_error("row " + std::to_string(i + 1) + " has id '" + s.ids[i] + "' where the test file has '" +
                               testIds[i] + "'");
  for (std::size_t i = 0; i < s.predicted.size(); ++i)
    if (s.predicted[i] < 0 || s.predicted[i] >= labels.size())
      throw std::runtime_error("row " + std::to_string(i + 1) + " predicts label id " + std::to_string(s.predicted[i]) +
                               ", not in the label map of " + std::to_string(labels.size()) + " labels");
  if (format == SubmissionFormat::Klue && s.probabilities.size() != s.predicted.size())
    throw std::runtime_error("the klue format needs probabilities for every row");
  platform::writeFileAtomically(path, [&](std::ostream& out) {
    if (format == SubmissionFormat::Pstage) out << "pred\n";
    else if (format == SubmissionFormat::Klue) out << "id,pred_label,probs\n";
    else out << "id,label\n";
    for (std::size_t i = 0; i < s.predicted.size(); ++i) {
      if (format == SubmissionFormat::Pstage) {
        out << s.predicted[i] << '\n';
      } else if (format == SubmissionFormat::Klue) {
        out << csvCell(s.ids[i]) << ',' << csvCell(labels.nameOf(s.predicted[i])) << ','
            << csvCell(nlohmann::json(s.probabilities[i]).dump()) << '\n';
      } else {
        out << csvCell(s.ids[i]) << ',' << csvCell(labels.nameOf(s.predicted[i])) << '\n';
      }
    }
  }, overwrite);
}

void writeProbabilities(const std::string& path, const Submission& s, const data::LabelMap& labels, bool overwrite) {
  platform::writeFileAtomically(path, [&](std::ostream& out) {
    out << "id";
    for (const auto& name : labels.names()) out << ',' << csvCell(name);
    out << '\n';
    for (std::size_t i = 0; i < s.probabilities.size(); ++i) {
      out << csvCell(s.ids[i]);
      for (float p : s.probabilities[i]) out << ',' << p;
      out << '\n';
    }
  }, overwrite);
}

Submission readSubmission(const std::string& path, SubmissionFormat format, const data::LabelMap& labels) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  Submission s;
  std::string line;
  std::getline(in, line);
  int lineNo = 1;
  while (std::getline(in, line)) {
    ++lineNo;
    if (line.empty()) continue;
    const auto cells = splitCsv(line);
    if (format == SubmissionFormat::Pstage) {
      s.predicted.push_back(std::stoi(cells.at(0)));
      continue;
    }
    if (cells.size() < 2) throw std::runtime_error(path + ":" + std::to_string(lineNo) + ": too few columns");
    s.ids.push_back(cells[0]);
    const auto id = labels.idOf(cells[1]);
    if (!id) throw std::runtime_error(path + ":" + std::to_string(lineNo) + ": unknown label '" + cells[1] + "'");
    s.predicted.push_back(*id);
    if (format == SubmissionFormat::Klue) s.probabilities.push_back(nlohmann::json::parse(cells.at(2)).get<std::vector<float>>());
  }
  return s;
}

}  // namespace foldbench::ensemble
