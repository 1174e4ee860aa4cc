#pragma once
// Runs a pretrained encoder over token ids without a caller seeing LibTorch: what
// `foldbench-cli model embed` and the benchmarks use. Plain C++ header; the model lives in
// foldbench_train (core/src/model/pretrained_encoder.h).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "foldbench/pretrained/model_folder.h"

namespace foldbench::pretrained {

struct EncoderInput {
  std::vector<std::int64_t> ids;      // with the special tokens
  std::vector<std::int64_t> typeIds;  // empty means all 0
};

class EncoderRunner {
 public:
  // Opens and checks the folder (openModelFolder) and loads its weights into an encoder on the CPU.
  // threads > 0 sets LibTorch's intra-op threads.
  explicit EncoderRunner(const std::string& directory, int threads = 0);
  ~EncoderRunner();
  EncoderRunner(const EncoderRunner&) = delete;
  EncoderRunner& operator=(const EncoderRunner&) = delete;

  const ModelFolder& folder() const;
  // The final hidden state of each text's first token ([CLS] or <s>), hidden_size floats per text,
  // in the order given. Texts are run in batches of similar length, padded with the model's pad id
  // and masked, so a text's result does not depend on its neighbours beyond float rounding.
  // `progress` (if set) is called with the number of texts done after each batch.
  std::vector<std::vector<float>> firstTokenStates(const std::vector<EncoderInput>& texts, std::size_t batchSize = 32,
                                                   const std::function<void(std::size_t)>& progress = {}) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace foldbench::pretrained
