#pragma once
#include "args.h"

namespace foldbench::cli {

// foldbench-cli export --run ID[,ID...] --test FILE --out FILE [--vote soft|hard|weighted]
//   [--weights oof|val|greedy] [--prior] [--format pstage|klue|generic] [--probs FILE] [--db PATH] [--force]
int exportCommand(const Args& args);

}  // namespace foldbench::cli
