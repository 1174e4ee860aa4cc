#pragma once
// Hashed n-gram features for the n-gram bag model, taken separately from four parts of a
// relation example: the subject, the object, the text between them, and the whole sentence.
#include <array>
#include <cstdint>
#include <vector>

#include "foldbench/data/example.h"

namespace foldbench::model {

inline constexpr int kNgramParts = 4;  // subject, object, between, sentence

struct NgramOptions {
  int bucketsLog2 = 18;
  int charNgramMax = 3;
  int wordNgramMax = 2;
};

struct NgramFeatures {
  std::array<std::vector<std::int64_t>, kNgramParts> ids;  // bucket ids per part, never empty
};

// Deterministic: the same text gives the same buckets on every platform.
NgramFeatures ngramFeatures(const data::Example& example, const NgramOptions& options);

}  // namespace foldbench::model
