#pragma once
// A Hugging Face model folder, checked as a whole before any weight is copied: config.json, the
// weights (one file or shards), every tensor's name, dtype and shape against the configuration.
// Plain C++; the LibTorch encoder (core/src/model/pretrained_encoder.h) loads from it.
#include <cstdint>
#include <string>
#include <vector>

#include "foldbench/pretrained/encoder_config.h"
#include "foldbench/pretrained/tensor_set.h"

namespace foldbench::pretrained {

// The shape a canonical tensor name must have under `config` (see requiredTensorNames), e.g.
// {vocab_size, embedding_size} for embeddings.word_embeddings.weight, {out, in} for a Linear.
std::vector<std::uint64_t> expectedTensorShape(const EncoderConfig& config, const std::string& canonicalName);

struct ModelFolder {
  std::string directory;
  EncoderConfig config;
  TensorSet weights;
  TensorNameMap names;
  std::uint64_t parameterCount = 0;  // elements of the tensors the encoder loads (pooler included)
  std::uint64_t weightBytes = 0;     // bytes of those tensors as stored
  std::vector<std::string> dtypes;   // the stored dtypes of those tensors, each once, e.g. {"F16"}

  // The stored tensor behind a canonical name, converted to float32 into `out` (exactly
  // elementCount floats, the shape having been checked).
  void copyTensor(const std::string& canonicalName, float* out, std::size_t count) const;
};

// Reads config.json and the weights of `directory` and checks them: the name map
// (checkTensorNames), then for every loaded tensor a float dtype (F32, F16, BF16) and the shape the
// configuration implies. A refusal is a PretrainedError naming the file, the tensor, and what was
// expected against what was found. Weights stay memory-mapped; nothing is converted yet.
ModelFolder openModelFolder(const std::string& directory);

// The most tokens (specials included) one text may have: max_position_embeddings, less the
// padding_idx + 1 positions RoBERTa and XLM-R start after (514 -> 512).
std::int64_t maxTokens(const EncoderConfig& config);

}  // namespace foldbench::pretrained
