#pragma once
// A run whose checkpoints were deleted to free disk space keeps a note saying so in its
// directory. Whatever reads a run directory to predict checks it first, so a pruned run fails
// with that note instead of "checkpoint not found".
#include <fstream>
#include <sstream>
#include <string>

namespace foldbench::util {

inline constexpr const char* kPrunedNoteFile = "PRUNED";

// The note's text, or "" when the run was not pruned.
inline std::string prunedNote(const std::string& runDir) {
  std::ifstream in(runDir + "/" + kPrunedNoteFile);
  if (!in) return {};
  std::ostringstream text;
  text << in.rdbuf();
  std::string note = text.str();
  while (!note.empty() && (note.back() == '\n' || note.back() == ' ')) note.pop_back();
  return note.empty() ? "pruned" : note;
}

}  // namespace foldbench::util
