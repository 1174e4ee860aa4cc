#pragma once
#include <string>

#include "args.h"

namespace foldbench::cli {

// foldbench-cli model inspect|embed ...: a pretrained Hugging Face model folder.
int modelCommand(const std::string& verb, const Args& args);

}  // namespace foldbench::cli
