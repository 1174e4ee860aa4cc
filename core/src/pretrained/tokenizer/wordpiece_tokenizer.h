#pragma once
// WordPiece from vocab.txt, as Hugging Face's slow BertTokenizer runs it.
#include <memory>
#include <string>

#include "tokenizer_config.h"
#include "wordpiece.h"

namespace foldbench::pretrained::tokenizer {

std::unique_ptr<PretrainedTokenizer> openVocabTxtTokenizer(const std::string& folder, const TokenizerConfig& config);

// vocab.txt: one piece a line (\n, \r\n or \r), the id is the line number; a piece written twice keeps
// its last line, as HF's load_vocab. Refuses invalid UTF-8 and an empty file, naming the line.
struct VocabTxt {
  PieceIds ids;
  std::vector<std::string> pieces;  // by line
};
VocabTxt readVocabTxt(const std::string& path);

}  // namespace foldbench::pretrained::tokenizer
