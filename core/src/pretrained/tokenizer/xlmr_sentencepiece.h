#pragma once
// XLM-R's sentencepiece.bpe.model through Foldbench's sentencepiece plugin, numbered as fairseq and
// Hugging Face's XLMRobertaTokenizer number it: <s>=0 <pad>=1 </s>=2 <unk>=3, piece i>0 -> i+1, the
// unknown piece (0) -> 3, <mask> = pieces+1. One text: <s> a </s>; a pair: <s> a </s></s> b </s>.
#include <memory>
#include <string>

#include "tokenizer_config.h"

namespace foldbench::pretrained::tokenizer {

std::unique_ptr<PretrainedTokenizer> openXlmrSentencepiece(const std::string& folder, const TokenizerConfig& config);

}  // namespace foldbench::pretrained::tokenizer
