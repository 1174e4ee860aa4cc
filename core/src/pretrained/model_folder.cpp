#include "foldbench/pretrained/model_folder.h"

#include <algorithm>
#include <filesystem>

namespace foldbench::pretrained {
namespace {

bool startsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }
bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string shapeText(const std::vector<std::uint64_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

std::uint64_t u(std::int64_t value) { return static_cast<std::uint64_t>(value); }

}  // namespace

std::vector<std::uint64_t> expectedTensorShape(const EncoderConfig& config, const std::string& name) {
  const std::uint64_t hidden = u(config.hiddenSize), embed = u(config.embeddingSize);
  const std::uint64_t inner = u(config.intermediateSize);
  if (name == "embeddings.word_embeddings.weight") return {u(config.vocabSize), embed};
  if (name == "embeddings.position_embeddings.weight") return {u(config.maxPositionEmbeddings), embed};
  if (name == "embeddings.token_type_embeddings.weight") return {u(config.typeVocabSize), embed};
  if (startsWith(name, "embeddings.LayerNorm.")) return {embed};
  if (name == "embeddings_project.weight") return {hidden, embed};
  if (name == "embeddings_project.bias") return {hidden};
  if (name == "pooler.dense.weight") return {hidden, hidden};
  if (name == "pooler.dense.bias") return {hidden};
  if (startsWith(name, "encoder.layer.")) {
    const bool weight = endsWith(name, ".weight");
    if (name.find(".intermediate.dense.") != std::string::npos)
      return weight ? std::vector<std::uint64_t>{inner, hidden} : std::vector<std::uint64_t>{inner};
    if (name.find(".output.dense.") != std::string::npos && name.find(".attention.") == std::string::npos)
      return weight ? std::vector<std::uint64_t>{hidden, inner} : std::vector<std::uint64_t>{hidden};
    if (name.find("LayerNorm.") != std::string::npos) return {hidden};
    return weight ? std::vector<std::uint64_t>{hidden, hidden} : std::vector<std::uint64_t>{hidden};
  }
  throw PretrainedError("no shape is known for tensor '" + name + "'");
}

void ModelFolder::copyTensor(const std::string& canonicalName, float* out, std::size_t count) const {
  const auto it = names.canonicalToStored.find(canonicalName);
  if (it == names.canonicalToStored.end())
    throw PretrainedError(weights.source() + ": no tensor for '" + canonicalName + "'");
  weights.fileOf(it->second).toFloat(it->second, out, count);
}

std::int64_t maxTokens(const EncoderConfig& config) {
  if (config.modelType == ModelType::Roberta || config.modelType == ModelType::XlmRoberta)
    return config.maxPositionEmbeddings - config.padTokenId.value_or(1) - 1;
  return config.maxPositionEmbeddings;
}

ModelFolder openModelFolder(const std::string& directory) {
  namespace fs = std::filesystem;
  const fs::path folder(directory);
  if (!fs::is_directory(folder)) throw PretrainedError(directory + ": not a folder");
  const fs::path configPath = folder / "config.json";
  if (!fs::exists(configPath))
    throw PretrainedError(directory + ": no config.json (a model folder as save_pretrained writes it has one)");

  ModelFolder model{directory, readEncoderConfig(configPath.string()), TensorSet::openFolder(directory), {}, 0, 0, {}};
  model.names = checkTensorNames(model.config, model.weights.names(), model.weights.source());
  for (const auto& [canonical, stored] : model.names.canonicalToStored) {
    const TensorEntry& entry = model.weights.entry(stored);
    const std::string& file = model.weights.fileOf(stored).path();
    if (entry.dtype != Dtype::F32 && entry.dtype != Dtype::F16 && entry.dtype != Dtype::BF16)
      throw PretrainedError(file + ": tensor '" + stored + "' is " + dtypeName(entry.dtype) +
                            "; encoder weights must be F32, F16 or BF16");
    const auto expected = expectedTensorShape(model.config, canonical);
    if (entry.shape != expected)
      throw PretrainedError(file + ": tensor '" + stored + "' has shape " + shapeText(entry.shape) +
                            ", but config.json implies " + shapeText(expected));
    model.parameterCount += entry.elementCount();
    model.weightBytes += entry.byteCount();
    const std::string dtype = dtypeName(entry.dtype);
    if (std::find(model.dtypes.begin(), model.dtypes.end(), dtype) == model.dtypes.end())
      model.dtypes.push_back(dtype);
  }
  return model;
}

}  // namespace foldbench::pretrained
