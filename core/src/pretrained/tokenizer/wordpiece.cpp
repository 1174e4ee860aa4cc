#include "wordpiece.h"

#include "unicode_text.h"

namespace foldbench::pretrained::tokenizer {

void WordPieceModel::tokenize(const std::u32string& word, std::vector<std::int64_t>& out) const {
  if (word.size() > maxCharacters) {
    out.push_back(unkId);
    return;
  }
  std::vector<std::int64_t> pieces;
  std::size_t start = 0;
  while (start < word.size()) {
    std::size_t end = word.size();
    bool found = false;
    while (start < end) {
      std::string candidate = start > 0 ? prefix : std::string();
      candidate += unicode::encode(std::u32string_view(word).substr(start, end - start));
      if (auto it = vocab.find(candidate); it != vocab.end()) {
        pieces.push_back(it->second);
        found = true;
        break;
      }
      --end;
    }
    if (!found) {
      out.push_back(unkId);
      return;
    }
    start = end;
  }
  out.insert(out.end(), pieces.begin(), pieces.end());
}

}  // namespace foldbench::pretrained::tokenizer
