#pragma once
// Hashed n-gram features for the n-gram bag model, taken separately from the parts of a
// relation example: the subject, the object, the text between them, the whole sentence and,
// when asked, the sentence's patterns around the two entities.
#include <cstdint>
#include <vector>

#include "foldbench/data/example.h"

namespace foldbench::model {

enum NgramPart { kSubjectPart, kObjectPart, kBetweenPart, kSentencePart, kContextPart };

struct NgramOptions {
  int bucketsLog2 = 18;
  int charNgramMax = 3;
  int wordNgramMax = 2;
  bool context = false;  // adds kContextPart
};

int ngramPartCount(bool context);

struct NgramFeatures {
  std::vector<std::vector<std::int64_t>> ids;  // bucket ids per part, ngramPartCount() parts
};

// Deterministic: the same text gives the same buckets on every platform.
NgramFeatures ngramFeatures(const data::Example& example, const NgramOptions& options);

}  // namespace foldbench::model
