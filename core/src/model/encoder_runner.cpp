#include "foldbench/pretrained/encoder_runner.h"

#include <algorithm>
#include <numeric>

#include "foldbench/train/fold_trainer.h"
#include "pretrained_encoder.h"

namespace foldbench::pretrained {

struct EncoderRunner::Impl {
  ModelFolder folder;
  PretrainedEncoder encoder{nullptr};
};

EncoderRunner::EncoderRunner(const std::string& directory, int threads) : impl_(std::make_unique<Impl>()) {
  // The trainer's allocator and thread settings: activations reuse freed heap memory.
  config::TrainConfig settings;
  settings.threads = threads;
  settings.device = config::Device::Cpu;
  train::configureDevice(settings);
  impl_->folder = openModelFolder(directory);
  impl_->encoder = loadPretrainedEncoder(impl_->folder);
}

EncoderRunner::~EncoderRunner() = default;

const ModelFolder& EncoderRunner::folder() const { return impl_->folder; }

std::vector<std::vector<float>> EncoderRunner::firstTokenStates(const std::vector<EncoderInput>& texts,
                                                                std::size_t batchSize,
                                                                const std::function<void(std::size_t)>& progress) const {
  const auto& config = impl_->folder.config;
  const std::int64_t pad = config.padTokenId.value_or(0);
  const std::size_t longest = static_cast<std::size_t>(maxTokens(config));
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const auto& ids = texts[i].ids;
    if (ids.empty()) throw PretrainedError("text " + std::to_string(i + 1) + " has no tokens");
    if (ids.size() > longest)
      throw PretrainedError("text " + std::to_string(i + 1) + " has " + std::to_string(ids.size()) +
                            " tokens; this model takes at most " + std::to_string(longest));
    for (const auto id : ids)
      if (id < 0 || id >= config.vocabSize)
        throw PretrainedError("text " + std::to_string(i + 1) + ": token id " + std::to_string(id) +
                              " is outside the vocabulary of " + std::to_string(config.vocabSize));
  }
  // Length-sorted batches waste little on padding.
  std::vector<std::size_t> order(texts.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return texts[a].ids.size() < texts[b].ids.size(); });
  std::vector<std::vector<float>> states(texts.size());
  torch::NoGradGuard noGrad;
  const std::size_t step = std::max<std::size_t>(1, batchSize);
  for (std::size_t start = 0; start < order.size(); start += step) {
    const std::size_t end = std::min(order.size(), start + step);
    const auto length = static_cast<std::int64_t>(texts[order[end - 1]].ids.size());
    const auto rows = static_cast<std::int64_t>(end - start);
    auto ids = torch::full({rows, length}, pad, torch::kLong);
    auto types = torch::zeros({rows, length}, torch::kLong);
    auto mask = torch::zeros({rows, length}, torch::kLong);
    auto idsAccess = ids.accessor<std::int64_t, 2>();
    auto typesAccess = types.accessor<std::int64_t, 2>();
    auto maskAccess = mask.accessor<std::int64_t, 2>();
    for (std::int64_t r = 0; r < rows; ++r) {
      const auto& text = texts[order[start + static_cast<std::size_t>(r)]];
      for (std::size_t t = 0; t < text.ids.size(); ++t) {
        idsAccess[r][static_cast<std::int64_t>(t)] = text.ids[t];
        typesAccess[r][static_cast<std::int64_t>(t)] = t < text.typeIds.size() ? text.typeIds[t] : 0;
        maskAccess[r][static_cast<std::int64_t>(t)] = 1;
      }
    }
    const auto first = impl_->encoder->forward(ids, types, mask).hiddenStates.back().select(1, 0).contiguous();
    for (std::int64_t r = 0; r < rows; ++r) {
      const float* row = first[r].data_ptr<float>();
      states[order[start + static_cast<std::size_t>(r)]].assign(row, row + config.hiddenSize);
    }
    if (progress) progress(end);
  }
  return states;
}

}  // namespace foldbench::pretrained
