#pragma once
// WordPiece's greedy longest-match-first: continuation pieces carry a prefix ("##"); a word longer
// than maxCharacters, or one with a part no piece matches, becomes a single unknown token.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace foldbench::pretrained::tokenizer {

using PieceIds = std::unordered_map<std::string, std::int64_t>;

struct WordPieceModel {
  PieceIds vocab;
  std::int64_t unkId = 0;
  std::string prefix = "##";
  std::size_t maxCharacters = 100;

  void tokenize(const std::u32string& word, std::vector<std::int64_t>& out) const;
};

}  // namespace foldbench::pretrained::tokenizer
