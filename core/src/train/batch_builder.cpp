#include "batch_builder.h"

#include "foldbench/text/special_tokens.h"

namespace foldbench::train {

std::vector<int> TrainingData::lengths() const {
  std::vector<int> out(size(), 1);
  for (std::size_t i = 0; i < encoded.size(); ++i) out[i] = static_cast<int>(encoded[i].ids.size());
  if (encoded.empty())
    for (std::size_t i = 0; i < ngrams.size(); ++i) out[i] = static_cast<int>(ngrams[i].ids[model::kSentencePart].size());
  return out;
}

BatchBuilder::BatchBuilder(const TrainingData& data, bool ngram, bool fixedPadding, torch::Device device)
    : data_(data), ngram_(ngram), fixedPadding_(fixedPadding), device_(device) {}

model::Batch BatchBuilder::build(const std::vector<int>& rows) const {
  model::Batch batch;
  batch.rows = rows;
  std::vector<std::int64_t> labels;
  labels.reserve(rows.size());
  for (int r : rows) labels.push_back(std::max(0, data_.labels[static_cast<std::size_t>(r)]));
  batch.labels = torch::tensor(labels, torch::kInt64).to(device_);
  if (ngram_) fillBags(batch, rows);
  else fillTokens(batch, rows);
  return batch;
}

void BatchBuilder::fillTokens(model::Batch& batch, const std::vector<int>& rows) const {
  const auto n = static_cast<std::int64_t>(rows.size());
  std::int64_t length = 1;
  for (int r : rows) length = std::max<std::int64_t>(length, static_cast<std::int64_t>(data_.encoded[static_cast<std::size_t>(r)].ids.size()));
  if (fixedPadding_) length = data_.maxLen;
  auto ids = torch::full({n, length}, static_cast<std::int64_t>(text::kPad), torch::kInt64);
  auto segments = torch::zeros({n, length}, torch::kInt64);
  auto padding = torch::ones({n, length}, torch::kBool);
  auto subject = torch::zeros({n}, torch::kInt64), object = torch::zeros({n}, torch::kInt64);
  auto idsA = ids.accessor<std::int64_t, 2>();
  auto segA = segments.accessor<std::int64_t, 2>();
  auto padA = padding.accessor<bool, 2>();
  for (std::int64_t b = 0; b < n; ++b) {
    const auto& e = data_.encoded[static_cast<std::size_t>(rows[static_cast<std::size_t>(b)])];
    for (std::size_t t = 0; t < e.ids.size() && static_cast<std::int64_t>(t) < length; ++t) {
      idsA[b][static_cast<std::int64_t>(t)] = e.ids[t];
      segA[b][static_cast<std::int64_t>(t)] = e.segments[t];
      padA[b][static_cast<std::int64_t>(t)] = false;
    }
    subject[b] = e.subjectPos;
    object[b] = e.objectPos;
    batch.realTokens += static_cast<long>(e.ids.size());
  }
  batch.paddedTokens = static_cast<long>(n * length);
  batch.ids = ids.to(device_);
  batch.segments = segments.to(device_);
  batch.padding = padding.to(device_);
  batch.subjectPos = subject.to(device_);
  batch.objectPos = object.to(device_);
}

void BatchBuilder::fillBags(model::Batch& batch, const std::vector<int>& rows) const {
  const std::size_t parts = data_.ngrams.empty() ? 0 : data_.ngrams.front().ids.size();
  batch.bagIds.resize(parts);
  batch.bagOffsets.resize(parts);
  for (std::size_t p = 0; p < parts; ++p) {
    std::vector<std::int64_t> ids, offsets;
    offsets.reserve(rows.size());
    for (int r : rows) {
      offsets.push_back(static_cast<std::int64_t>(ids.size()));
      const auto& part = data_.ngrams[static_cast<std::size_t>(r)].ids[p];
      if (part.empty()) ids.push_back(0);  // an empty bag would give NaN-free zeros, but keep one row
      else ids.insert(ids.end(), part.begin(), part.end());
    }
    batch.bagIds[p] = torch::tensor(ids, torch::kInt64).to(device_);
    batch.bagOffsets[p] = torch::tensor(offsets, torch::kInt64).to(device_);
    batch.realTokens += static_cast<long>(ids.size());
  }
  batch.paddedTokens = batch.realTokens;
}

}  // namespace foldbench::train
