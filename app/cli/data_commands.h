#pragma once
#include "args.h"

namespace foldbench::cli {

// foldbench-cli data check FILE [--labels FILE] [--format auto|tsv|json|csv] [--skip-bad]
//   [--tokenizer MODEL] [--max-len N] [--input-format NAME]
int dataCheck(const Args& args);
// foldbench-cli data split FILE --out DIR [--labels FILE] [--ratio R] [--seed N] [--force]
int dataSplit(const Args& args);
// foldbench-cli data sample --out DIR [--force] [--seed N]
int dataSample(const Args& args);

}  // namespace foldbench::cli
