#pragma once
// What an entity-aware input format needs from a vocabulary: pieces for text, the ids of its
// special tokens, and how it marks entities. Foldbench's own sentencepiece vocabulary (specials
// first, markers among them) and a pretrained model's tokenizer (its own [CLS]/<s>, markers added
// after its vocabulary) both provide it, so one InputEncoder serves both.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace foldbench::text {

class TokenSource {
 public:
  virtual ~TokenSource() = default;
  virtual void encodeAppend(std::string_view text, std::vector<std::int32_t>& out) const = 0;
  virtual std::int32_t clsId() const = 0;  // [CLS] or <s>
  virtual std::int32_t sepId() const = 0;  // [SEP] or </s>
  // Between the two texts of a pair: [SEP] for BERT, </s></s> for RoBERTa and XLM-R.
  virtual std::vector<std::int32_t> pairSeparator() const { return {sepId()}; }
  // The id of Foldbench marker `special` (special_tokens.h: kSubjectOpen and after), -1 if none.
  virtual std::int32_t markerId(int special) const = 0;
  // The text the punct format puts at an entity's start (open) or end.
  virtual std::string punctMarker(bool subject, bool open, const std::string& type) const;
  virtual std::uint64_t fingerprint() const = 0;
};

}  // namespace foldbench::text
