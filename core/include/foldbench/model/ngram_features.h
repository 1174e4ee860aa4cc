#pragma once
// Hashed n-gram features for the n-gram bag model, taken separately from four parts of a
// relation example: the subject, the object, the text between them, and the whole sentence.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "foldbench/data/example.h"

namespace foldbench::model {

inline constexpr int kNgramParts = 4;  // subject, object, between, sentence

struct NgramOptions {
  int bucketsLog2 = 18;
  int charNgramMax = 3;
  int wordNgramMax = 2;
  // > 0: also n-grams of the text with every Hangul syllable decomposed into its jamo (initial,
  // medial, final), so 은/는 and 이/가 share their vowel and the stem its consonants.
  int jamoNgramMax = 0;
};

// Hangul syllables (U+AC00..U+D7A3) replaced by their conjoining jamo; other text unchanged.
std::u32string decomposeHangul(const std::u32string& text);

struct NgramFeatures {
  std::array<std::vector<std::int64_t>, kNgramParts> ids;  // bucket ids per part, never empty
};

// Deterministic: the same text gives the same buckets on every platform.
NgramFeatures ngramFeatures(const data::Example& example, const NgramOptions& options);

}  // namespace foldbench::model
