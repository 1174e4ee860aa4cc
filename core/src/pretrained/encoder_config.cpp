#include "foldbench/pretrained/encoder_config.h"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "foldbench/pretrained/safetensors.h"

namespace foldbench::pretrained {

namespace {

std::string inQuotes(const std::string& s) { return "'" + s + "'"; }

// The Hugging Face config classes' defaults (BertConfig, RobertaConfig, XLMRobertaConfig,
// ElectraConfig), used for a field config.json leaves out.
struct Defaults {
  std::int64_t vocab, hidden, layers, heads, intermediate, maxPositions, typeVocab, pad, embedding;
};
Defaults defaultsFor(ModelType type) {
  switch (type) {
    case ModelType::Bert: return {30522, 768, 12, 12, 3072, 512, 2, 0, 768};
    case ModelType::Roberta:
    case ModelType::XlmRoberta: return {30522, 768, 12, 12, 3072, 512, 2, 1, 768};
    case ModelType::Electra: return {30522, 256, 12, 4, 1024, 512, 2, 0, 128};
  }
  return {};
}

}  // namespace

const char* modelTypeName(ModelType type) {
  switch (type) {
    case ModelType::Bert: return "bert";
    case ModelType::Roberta: return "roberta";
    case ModelType::XlmRoberta: return "xlm-roberta";
    case ModelType::Electra: return "electra";
  }
  return "?";
}

const char* basePrefix(ModelType type) {
  switch (type) {
    case ModelType::Bert: return "bert.";
    case ModelType::Roberta:
    case ModelType::XlmRoberta: return "roberta.";
    case ModelType::Electra: return "electra.";
  }
  return "";
}

EncoderConfig parseEncoderConfig(const std::string& jsonText, const std::string& label) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(jsonText);
  } catch (const nlohmann::json::exception& e) {
    throw PretrainedError(label + ": not valid JSON: " + e.what());
  }
  if (!json.is_object()) throw PretrainedError(label + ": not a JSON object");
  if (!json.contains("model_type") || !json["model_type"].is_string())
    throw PretrainedError(label + ": no \"model_type\" (expected bert, roberta, xlm-roberta or electra)");
  const std::string type = json["model_type"].get<std::string>();
  EncoderConfig config;
  if (type == "bert") config.modelType = ModelType::Bert;
  else if (type == "roberta") config.modelType = ModelType::Roberta;
  else if (type == "xlm-roberta") config.modelType = ModelType::XlmRoberta;
  else if (type == "electra") config.modelType = ModelType::Electra;
  else
    throw PretrainedError(label + ": model_type " + inQuotes(type) +
                          " is not supported (Foldbench reads bert, roberta, xlm-roberta and electra)");
  const Defaults d = defaultsFor(config.modelType);

  auto integer = [&](const char* field, std::int64_t fallback, std::int64_t minimum) -> std::int64_t {
    if (!json.contains(field) || json[field].is_null()) {
      config.defaulted.push_back(field);
      return fallback;
    }
    const auto& v = json[field];
    if (!v.is_number_integer())
      throw PretrainedError(label + ": field " + inQuotes(field) + " is " + v.dump() + ", not an integer");
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
      throw PretrainedError(label + ": field " + inQuotes(field) + " is too large");
    const auto value = v.get<std::int64_t>();
    if (value < minimum)
      throw PretrainedError(label + ": field " + inQuotes(field) + " is " + std::to_string(value) +
                            "; it must be at least " + std::to_string(minimum));
    return value;
  };
  config.vocabSize = integer("vocab_size", d.vocab, 1);
  config.hiddenSize = integer("hidden_size", d.hidden, 1);
  config.numHiddenLayers = integer("num_hidden_layers", d.layers, 1);
  config.numAttentionHeads = integer("num_attention_heads", d.heads, 1);
  config.intermediateSize = integer("intermediate_size", d.intermediate, 1);
  config.maxPositionEmbeddings = integer("max_position_embeddings", d.maxPositions, 1);
  config.typeVocabSize = integer("type_vocab_size", d.typeVocab, 1);
  config.embeddingSize = config.modelType == ModelType::Electra
                             ? integer("embedding_size", d.embedding, 1)
                             : config.hiddenSize;
  if (config.hiddenSize % config.numAttentionHeads != 0)
    throw PretrainedError(label + ": hidden_size " + std::to_string(config.hiddenSize) +
                          " is not a multiple of num_attention_heads " + std::to_string(config.numAttentionHeads));

  if (!json.contains("pad_token_id") || json["pad_token_id"].is_null()) {
    if (!json.contains("pad_token_id")) {
      config.defaulted.push_back("pad_token_id");
      config.padTokenId = d.pad;
    }
  } else {
    config.padTokenId = integer("pad_token_id", 0, 0);
    if (*config.padTokenId >= config.vocabSize)
      throw PretrainedError(label + ": pad_token_id " + std::to_string(*config.padTokenId) +
                            " is outside the vocabulary of " + std::to_string(config.vocabSize));
  }
  const bool robertaPositions =
      config.modelType == ModelType::Roberta || config.modelType == ModelType::XlmRoberta;
  if (robertaPositions) {
    if (!config.padTokenId)
      throw PretrainedError(label + ": pad_token_id is null, but " + type +
                            " numbers positions from it and needs one");
    if (*config.padTokenId + 1 >= config.maxPositionEmbeddings)
      throw PretrainedError(label + ": max_position_embeddings " + std::to_string(config.maxPositionEmbeddings) +
                            " leaves no position after pad_token_id " + std::to_string(*config.padTokenId) +
                            " (" + type + " positions start at pad_token_id + 1)");
  }

  if (!json.contains("hidden_act")) {
    config.defaulted.push_back("hidden_act");
  } else {
    if (!json["hidden_act"].is_string())
      throw PretrainedError(label + ": field 'hidden_act' is " + json["hidden_act"].dump() + ", not a name");
    const std::string act = json["hidden_act"].get<std::string>();
    if (act == "gelu") config.hiddenAct = Activation::Gelu;
    else if (act == "gelu_new") config.hiddenAct = Activation::GeluNew;
    else
      throw PretrainedError(label + ": hidden_act " + inQuotes(act) + " is not supported (gelu or gelu_new)");
  }

  if (!json.contains("layer_norm_eps")) {
    config.defaulted.push_back("layer_norm_eps");
  } else {
    const auto& v = json["layer_norm_eps"];
    if (!v.is_number() || !(v.get<double>() > 0) || !std::isfinite(v.get<double>()))
      throw PretrainedError(label + ": layer_norm_eps is " + v.dump() + ", not a positive number");
    config.layerNormEps = v.get<double>();
  }

  // Dropout is used only when fine-tuning; absent fields take the Hugging Face default (0.1, silently:
  // they do not change what the model computes).
  auto probability = [&](const char* field, double& into) {
    if (!json.contains(field) || json[field].is_null()) return;
    const auto& v = json[field];
    if (!v.is_number() || v.get<double>() < 0 || v.get<double>() >= 1)
      throw PretrainedError(label + ": field " + inQuotes(field) + " is " + v.dump() + ", not a probability below 1");
    into = v.get<double>();
  };
  probability("hidden_dropout_prob", config.hiddenDropout);
  probability("attention_probs_dropout_prob", config.attentionDropout);

  if (json.contains("position_embedding_type") && !json["position_embedding_type"].is_null() &&
      json["position_embedding_type"] != "absolute")
    throw PretrainedError(label + ": position_embedding_type " + json["position_embedding_type"].dump() +
                          " is not supported (only \"absolute\")");
  return config;
}

EncoderConfig readEncoderConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw PretrainedError(path + ": cannot open");
  std::stringstream text;
  text << in.rdbuf();
  return parseEncoderConfig(text.str(), path);
}

std::vector<std::string> requiredTensorNames(const EncoderConfig& config) {
  std::vector<std::string> names = {
      "embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
      "embeddings.token_type_embeddings.weight", "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias"};
  if (config.modelType == ModelType::Electra && config.embeddingSize != config.hiddenSize) {
    names.push_back("embeddings_project.weight");
    names.push_back("embeddings_project.bias");
  }
  static const char* const kLayer[] = {
      "attention.self.query.weight",   "attention.self.query.bias",        "attention.self.key.weight",
      "attention.self.key.bias",       "attention.self.value.weight",      "attention.self.value.bias",
      "attention.output.dense.weight", "attention.output.dense.bias",      "attention.output.LayerNorm.weight",
      "attention.output.LayerNorm.bias", "intermediate.dense.weight",      "intermediate.dense.bias",
      "output.dense.weight",           "output.dense.bias",                "output.LayerNorm.weight",
      "output.LayerNorm.bias"};
  for (std::int64_t i = 0; i < config.numHiddenLayers; ++i)
    for (const char* part : kLayer) names.push_back("encoder.layer." + std::to_string(i) + "." + part);
  return names;
}

namespace {

bool startsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Heads saved alongside the encoder by pre-training or task models; their names sit at the top
// level, outside the base prefix.
std::vector<std::string> headPrefixes(ModelType type) {
  switch (type) {
    case ModelType::Bert: return {"cls.predictions.", "cls.seq_relationship.", "classifier."};
    case ModelType::Roberta:
    case ModelType::XlmRoberta: return {"lm_head.", "classifier."};
    case ModelType::Electra: return {"discriminator_predictions.", "generator_", "classifier."};
  }
  return {};
}

}  // namespace

TensorNameMap checkTensorNames(const EncoderConfig& config, const std::vector<std::string>& storedNames,
                               const std::string& file) {
  const std::string prefix = basePrefix(config.modelType);
  const auto required = requiredTensorNames(config);
  std::set<std::string> known(required.begin(), required.end());
  const bool mayHavePooler = config.modelType != ModelType::Electra;
  if (mayHavePooler) {
    known.insert("pooler.dense.weight");
    known.insert("pooler.dense.bias");
  }
  const auto heads = headPrefixes(config.modelType);

  TensorNameMap map;
  std::vector<std::string> unexpected;
  std::string withPrefix, withoutPrefix;  // one example of each, to name a mixed file
  for (const auto& stored : storedNames) {
    bool isHead = false;
    for (const auto& head : heads) isHead = isHead || startsWith(stored, head);
    const bool prefixed = startsWith(stored, prefix);
    std::string name = prefixed ? stored.substr(prefix.size()) : stored;
    if (isHead || name == "embeddings.position_ids" || name == "embeddings.token_type_ids") {
      map.ignored.push_back(stored);
      continue;
    }
    if (endsWith(name, "LayerNorm.gamma")) name = name.substr(0, name.size() - 5) + "weight";
    else if (endsWith(name, "LayerNorm.beta")) name = name.substr(0, name.size() - 4) + "bias";
    if (!known.count(name)) {
      unexpected.push_back(stored);
      continue;
    }
    (prefixed ? withPrefix : withoutPrefix) = stored;
    const auto [it, inserted] = map.canonicalToStored.emplace(name, stored);
    if (!inserted)
      throw PretrainedError(file + ": tensors " + inQuotes(it->second) + " and " + inQuotes(stored) +
                            " are both " + inQuotes(name));
  }
  if (!unexpected.empty()) {
    std::string message = file + ": unexpected tensor " + inQuotes(unexpected.front()) + ": not part of a " +
                          modelTypeName(config.modelType) + " encoder with " +
                          std::to_string(config.numHiddenLayers) + " layers, nor a known head";
    if (unexpected.size() > 1) message += " (and " + std::to_string(unexpected.size() - 1) + " more)";
    throw PretrainedError(message);
  }
  if (!withPrefix.empty() && !withoutPrefix.empty())
    throw PretrainedError(file + ": tensor names mix the " + inQuotes(prefix) + " prefix (" + inQuotes(withPrefix) +
                          ") with none (" + inQuotes(withoutPrefix) + ")");
  map.prefixed = !withPrefix.empty();
  std::vector<std::string> missing;
  for (const auto& name : required)
    if (!map.canonicalToStored.count(name)) missing.push_back((map.prefixed ? prefix : "") + name);
  if (!missing.empty()) {
    std::string message = file + ": missing tensor " + inQuotes(missing.front());
    if (missing.size() > 1) message += " (and " + std::to_string(missing.size() - 1) + " more)";
    throw PretrainedError(message + " that a " + modelTypeName(config.modelType) + " encoder with " +
                          std::to_string(config.numHiddenLayers) + " layers needs");
  }
  if (mayHavePooler) {
    const bool weight = map.canonicalToStored.count("pooler.dense.weight") != 0;
    const bool bias = map.canonicalToStored.count("pooler.dense.bias") != 0;
    if (weight != bias)
      throw PretrainedError(file + ": the pooler has " + (weight ? "a weight but no bias" : "a bias but no weight") +
                            " (expected pooler.dense.weight and pooler.dense.bias, or neither)");
    map.hasPooler = weight;
  }
  return map;
}

}  // namespace foldbench::pretrained
