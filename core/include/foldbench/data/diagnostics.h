#pragma once
// Everything a reader finds wrong with its input, each item naming file, line and field.
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "foldbench/util/enum_names.h"

namespace foldbench::data {

struct Problem {
  std::string file;
  int line = 0;  // 1-based; 0 when the problem concerns the whole file
  std::string field;
  std::string message;

  std::string toString() const;
};

// An entity whose offsets did not match its text and were moved to where the text is.
struct OffsetRepair {
  int line = 0;
  std::string field;  // "subject" or "object"
  int oldStart = 0, oldEnd = 0, newStart = 0, newEnd = 0;

  int shift() const { return newStart - oldStart; }
};

enum class BadRowPolicy {
  Stop,  // stop after reading, listing every problem (up to maxProblems) in a DataError
  Skip,  // drop bad rows, keep reading, list each dropped row in the report
};

struct ReadOptions {
  BadRowPolicy policy = BadRowPolicy::Stop;
  std::size_t maxProblems = 50;  // problems listed before the rest are only counted
  bool repairOffsets = true;
  int repairWindow = 16;         // code points either side of the given start to search
  bool allowBlind = false;       // accept the "blind" label of unlabelled test files
};

struct LoadReport {
  std::vector<Problem> problems;     // capped at ReadOptions::maxProblems
  std::size_t problemCount = 0;      // every problem, also those past the cap
  std::vector<int> skippedLines;     // rows dropped under BadRowPolicy::Skip
  std::vector<OffsetRepair> repairs;
  std::vector<int> overlappingLines; // rows whose subject and object spans overlap

  void add(Problem p, std::size_t cap);
};

class DataError : public std::runtime_error {
 public:
  DataError(std::string summary, std::vector<Problem> problems);
  const std::vector<Problem>& problems() const { return problems_; }

 private:
  std::vector<Problem> problems_;
};

}  // namespace foldbench::data

namespace foldbench {
FOLDBENCH_ENUM_NAMES(data::BadRowPolicy, {data::BadRowPolicy::Stop, "stop"}, {data::BadRowPolicy::Skip, "skip"})
}  // namespace foldbench
