#pragma once
// tokenizer.json, the fast-tokenizer format, as the tokenizers library runs it: added tokens split out,
// the normalizer, the pre-tokenizer, a WordPiece or Unigram model, the post-processor
// (TemplateProcessing, BertProcessing or RobertaProcessing). Any other component type is refused by
// name and place.
#include <memory>
#include <string>

#include "tokenizer_config.h"

namespace foldbench::pretrained::tokenizer {

// tokenizer_config.json (may be absent) gives the pad token and model_max_length.
std::unique_ptr<PretrainedTokenizer> openTokenizerJson(const std::string& folder, const TokenizerConfig& config);
// The same from the file's text (the fuzzer; `label` names it in refusals); no config.
std::unique_ptr<PretrainedTokenizer> parseTokenizerJson(const std::string& text, const std::string& label);

}  // namespace foldbench::pretrained::tokenizer
