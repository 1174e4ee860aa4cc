#pragma once
#include "args.h"

namespace foldbench::cli {

// foldbench-cli config init [--preset NAME] [--docs]
int configInit(const Args& args);
// foldbench-cli train --config FILE [--preset NAME] [--train FILE] [--labels FILE] [--fold K] [--out DIR] [--name N]
int trainCommand(const Args& args);
// foldbench-cli predict --run DIR --test FILE --out FILE [--force]
int predictCommand(const Args& args);

}  // namespace foldbench::cli
