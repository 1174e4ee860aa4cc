#pragma once
#include <string>

#include "args.h"

namespace foldbench::cli {

// foldbench-cli sweep create|run|status|list|best|ensemble ...
int sweepCommand(const std::string& verb, const Args& args, const char* self);

}  // namespace foldbench::cli
