#pragma once
#include <string>
#include <vector>

namespace foldbench::data {

// An entity mention. Offsets are Unicode code points into the sentence, end inclusive,
// as in the competition files.
struct EntitySpan {
  std::string text;
  int start = 0;
  int end = -1;
  std::string type;  // "PER", "ORG", ... when the source carries types, else empty
};

// One classification example. Plain text classification leaves both entities empty
// (hasEntities() is false).
struct Example {
  std::string id;
  std::string sentence;
  EntitySpan subject;
  EntitySpan object;
  std::string label;   // label name; "blind" in unlabelled test files
  int labelId = -1;    // index into the label map, -1 when blind
  int sourceLine = 0;  // 1-based line (or record) in the source file

  bool hasEntities() const { return !subject.text.empty() || !object.text.empty(); }
};

struct Dataset {
  std::string path;
  std::vector<Example> rows;
};

inline constexpr const char* kBlindLabel = "blind";

}  // namespace foldbench::data
