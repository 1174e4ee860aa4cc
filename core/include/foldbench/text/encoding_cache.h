#pragma once
// On-disk cache of encoded datasets, keyed by the rows, the tokenizer model and the input
// options, so a second run over the same data skips tokenization.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "foldbench/data/example.h"
#include "foldbench/text/input_encoder.h"

namespace foldbench::text {

// Hash of everything encoding depends on in the rows (after offset repair).
std::uint64_t rowsFingerprint(const std::vector<data::Example>& rows);

std::uint64_t encodingCacheKey(std::uint64_t rowsFingerprint, std::uint64_t tokenizerFingerprint,
                               const EncodeOptions& options);

class EncodingCache {
 public:
  explicit EncodingCache(std::string directory);

  // nullopt when absent, or when the file is damaged or from another version (then ignored).
  std::optional<std::vector<EncodedExample>> load(std::uint64_t key) const;
  // Written to a temporary file and renamed, so a crash never leaves a half-written entry.
  void store(std::uint64_t key, const std::vector<EncodedExample>& encoded) const;
  std::string pathFor(std::uint64_t key) const;

 private:
  std::string directory_;
};

struct EncodeStats {
  bool cacheHit = false;
  std::size_t truncated = 0;
};

// Encodes every row, through `cache` when it is given.
std::vector<EncodedExample> encodeAll(const std::vector<data::Example>& rows, const InputEncoder& encoder,
                                      const EncodingCache* cache, EncodeStats* stats = nullptr);

}  // namespace foldbench::text
