#pragma once
// What a model folder holds, as `foldbench-cli model inspect` prints it and the window's model-folder
// picker shows it before Start: one list of labelled facts, so both say the same.
#include <string>
#include <utility>
#include <vector>

#include "foldbench/pretrained/model_folder.h"
#include "foldbench/pretrained/pretrained_tokenizer.h"

namespace foldbench::pretrained {

struct ModelSummary {
  std::vector<std::pair<std::string, std::string>> facts;  // {"model", "bert, 12 layers x 768 ..."}, ...
  // Set when the folder cannot be trained as it is: the tokenizer's ids overrun the vocabulary.
  std::string problem;
};

ModelSummary summarizeModel(const ModelFolder& model, const PretrainedTokenizer& tokenizer);
// openModelFolder and openPretrainedTokenizer, then the summary; throws PretrainedError.
ModelSummary summarizeModelFolder(const std::string& directory);

}  // namespace foldbench::pretrained
