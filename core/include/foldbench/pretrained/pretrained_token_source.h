#pragma once
// A pretrained tokenizer as the vocabulary of Foldbench's entity-aware input formats
// (text::InputEncoder): its own [CLS]/<s> and [SEP]/</s>, entity markers as tokens added after the
// model's vocabulary, and the punct format as Zhou and Chen's typed markers in Korean
// ("@ * 사람 * 이순신 @", "# ^ 단체 ^ 삼성 #"), which need no new tokens.
#include <cstdint>
#include <memory>
#include <string>

#include "foldbench/pretrained/pretrained_tokenizer.h"
#include "foldbench/text/input_format.h"
#include "foldbench/text/token_source.h"

namespace foldbench::pretrained {

// How many marker tokens an input format adds to a pretrained vocabulary: every Foldbench marker
// (untyped and typed, special_tokens.h) for "markers" and "typed", none for "pair" and "punct".
int addedMarkerCount(text::InputFormat inputFormat);

// The Korean word the punct format writes for a KLUE entity type (PER -> 사람), or the type itself.
std::string entityTypeWord(const std::string& type);

// `firstAddedId`: the id the first added marker takes (the model's vocab_size); `addMarkers`
// false leaves the markers out (markerId gives -1). `tokenizer` must outlive the source.
std::unique_ptr<text::TokenSource> makeTokenSource(const PretrainedTokenizer& tokenizer, std::int64_t firstAddedId,
                                                   bool addMarkers, std::uint64_t fingerprint);

}  // namespace foldbench::pretrained
