#pragma once
// What every pretrained tokenizer shares: special tokens split out of the text, truncation, and the
// encode()/encodePair() built on a kind's pieces and its way of adding specials.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "foldbench/pretrained/pretrained_tokenizer.h"

namespace foldbench::pretrained::tokenizer {

// A token kept whole wherever it appears in the text (special tokens and other added tokens).
struct AddedToken {
  std::u32string content;
  std::int64_t id = 0;
  bool lstrip = false;      // whitespace before it is dropped
  bool rstrip = false;      // whitespace after it is dropped
  bool normalized = false;  // tokenizer.json: matched in the normalised text, not the raw one
};

struct Segment {
  std::u32string text;
  const AddedToken* token = nullptr;  // set when the segment is that token
  bool atTextStart = false;           // the segment begins at the text's first character
};

// Splits text at the tokens (leftmost, then longest), applies their lstrip/rstrip, drops empty text
// segments.
std::vector<Segment> splitAddedTokens(std::u32string_view text, const std::vector<const AddedToken*>& tokens);

// Longest-first truncation of two piece lists to `budget` pieces in all.
void truncateOneAtATime(std::vector<std::int64_t>& a, std::vector<std::int64_t>* b, std::size_t budget);  // slow HF
void truncateSplitBudget(std::vector<std::int64_t>& a, std::vector<std::int64_t>* b, std::size_t budget);  // tokenizers

class TokenizerBase : public PretrainedTokenizer {
 public:
  TokenizedText encode(std::string_view text, std::size_t maxLength = 0) const override;
  TokenizedText encodePair(std::string_view a, std::string_view b, std::size_t maxLength = 0) const override;
  std::size_t modelMaxLength() const override { return modelMaxLength_; }

 protected:
  // The pieces with the kind's special tokens (b null for one text).
  virtual TokenizedText withSpecials(const std::vector<std::int64_t>& a, const std::vector<std::int64_t>* b) const = 0;
  TokenizedText encodeBoth(std::string_view a, const std::string_view* b, std::size_t maxLength) const;

  bool splitBudget_ = false;  // truncation as the tokenizers library does it
  std::size_t modelMaxLength_ = 0;
};

}  // namespace foldbench::pretrained::tokenizer
