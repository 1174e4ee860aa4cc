#pragma once
// BERT's basic tokenizer as the slow Python BertTokenizer runs it: drop NUL, U+FFFD and control
// characters, map whitespace to spaces, space out CJK ideographs, NFC, split at whitespace, lower-case
// and strip accents as configured, split off punctuation. Words in neverSplit are kept whole.
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace foldbench::pretrained::tokenizer {

struct BasicTokenizerOptions {
  bool lowerCase = true;
  std::optional<bool> stripAccents;  // unset: follows lowerCase
  bool chineseCharacters = true;     // tokenize_chinese_chars
};

std::vector<std::u32string> basicTokenize(std::u32string_view text, const BasicTokenizerOptions& options,
                                          const std::unordered_set<std::u32string>& neverSplit);

// The steps, also used by tokenizer.json's BertNormalizer and BertPreTokenizer.
std::u32string cleanBertText(std::u32string_view text);  // drop NUL/U+FFFD/C*, whitespace -> ' '
std::u32string spaceCjkIdeographs(std::u32string_view text);

}  // namespace foldbench::pretrained::tokenizer
