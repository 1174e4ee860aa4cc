#pragma once
// Turns an example into model inputs in one of the entity-aware input formats.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "foldbench/data/example.h"
#include "foldbench/text/input_format.h"
#include "foldbench/text/token_source.h"
#include "foldbench/text/tokenizer.h"

namespace foldbench::text {

std::string formatName(InputFormat format);
InputFormat parseInputFormat(const std::string& name);  // "pair", "markers", "typed", "punct"
std::vector<std::string> inputFormatNames();

struct EncodedExample {
  std::vector<std::int32_t> ids;
  std::vector<std::uint8_t> segments;  // 0/1 token type ids
  std::int32_t subjectPos = 0;         // index of the subject's start marker (or first token)
  std::int32_t objectPos = 0;          // index of the object's start marker (or first token)
  bool truncated = false;

  bool operator==(const EncodedExample& o) const {
    return ids == o.ids && segments == o.segments && subjectPos == o.subjectPos && objectPos == o.objectPos &&
           truncated == o.truncated;
  }
};

struct EncodeOptions {
  InputFormat format = InputFormat::EntityMarkers;
  int maxLen = 128;  // including [CLS] and [SEP]s
};

class InputEncoder {
 public:
  // Foldbench's own vocabulary: its special tokens and markers first, sentencepiece pieces after.
  InputEncoder(const Tokenizer& tokenizer, EncodeOptions options);
  // Any vocabulary (a pretrained model's); `source` must outlive the encoder.
  InputEncoder(const TokenSource& source, EncodeOptions options);
  ~InputEncoder();

  // Never longer than maxLen. Truncation cuts a window of context around both entities and,
  // if they lie too far apart, the text between them; entity tokens are never cut.
  EncodedExample encode(const data::Example& example) const;
  const EncodeOptions& options() const { return options_; }
  std::uint64_t tokenizerFingerprint() const { return source_.fingerprint(); }

 private:
  std::unique_ptr<TokenSource> owned_;  // the adapter over a Tokenizer, when built from one
  const TokenSource& source_;
  EncodeOptions options_;
};

}  // namespace foldbench::text
