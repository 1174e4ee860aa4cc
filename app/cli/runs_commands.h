#pragma once
#include "args.h"

namespace foldbench::cli {

// foldbench-cli runs <verb> ... [--db PATH]; verbs: list, show, compare, export, import, delete, tag, note.
int runsCommand(const std::string& verb, const Args& args);

}  // namespace foldbench::cli
