#pragma once
#include <string>

#include "args.h"

namespace foldbench::cli {

// foldbench-cli cluster slurm|queue|fold|merge ...: a run whose folds are a Slurm job array.
int clusterCommand(const std::string& verb, const Args& args);

}  // namespace foldbench::cli
