#pragma once
#include "args.h"
#include "foldbench/data/readers.h"

namespace foldbench::cli {

// foldbench-cli data check FILE [--labels FILE] [--data-format auto|tsv|json|csv] [--skip-bad]
//   [--tokenizer MODEL] [--max-len N] [--input-format NAME] [--format table|json]
int dataCheck(const Args& args);
// The data file's format from --data-format (as the config's data.format; default auto: by
// extension). Elsewhere --format names an output format, so an input format given as --format is
// a usage error pointing to --data-format; `formatIsOutput` when the command's --format is its
// report's (data check: table|json).
data::DatasetFormat dataFormatOption(const Args& args, const std::string& command, bool formatIsOutput);
// foldbench-cli data split FILE --out DIR [--labels FILE] [--data-format F] [--ratio R] [--seed N] [--force]
int dataSplit(const Args& args);
// foldbench-cli data sample --out DIR [--force] [--seed N]
int dataSample(const Args& args);

}  // namespace foldbench::cli
