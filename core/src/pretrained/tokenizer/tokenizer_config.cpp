#include "tokenizer_config.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "foldbench/pretrained/safetensors.h"
#include "unicode_text.h"

namespace foldbench::pretrained::tokenizer {

namespace fs = std::filesystem;

nlohmann::json readJsonFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw PretrainedError(path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  try {
    return nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::exception& e) {
    throw PretrainedError(path + ": not valid JSON (" + e.what() + ")");
  }
}

TokenizerConfig TokenizerConfig::read(const std::string& folder) {
  TokenizerConfig c;
  c.folder_ = folder;
  const auto config = fs::path(folder) / "tokenizer_config.json";
  if (fs::exists(config)) {
    c.path_ = config.string();
    c.config_ = readJsonFile(c.path_);
    if (!c.config_.is_object()) throw PretrainedError(c.path_ + ": not a JSON object");
  }
  const auto map = fs::path(folder) / "special_tokens_map.json";
  if (fs::exists(map)) {
    c.mapPath_ = map.string();
    c.map_ = readJsonFile(c.mapPath_);
    if (!c.map_.is_object()) throw PretrainedError(c.mapPath_ + ": not a JSON object");
  }
  return c;
}

const nlohmann::json* TokenizerConfig::find(const std::string& field, std::string* from) const {
  if (auto it = config_.find(field); it != config_.end() && !it->is_null()) {
    if (from) *from = path_;
    return &*it;
  }
  if (auto it = map_.find(field); it != map_.end() && !it->is_null()) {
    if (from) *from = mapPath_;
    return &*it;
  }
  return nullptr;
}

std::optional<std::string> TokenizerConfig::tokenizerClass() const {
  auto it = config_.find("tokenizer_class");
  if (it == config_.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw PretrainedError(path_ + ": tokenizer_class is not a string");
  return it->get<std::string>();
}

std::optional<bool> TokenizerConfig::flag(const std::string& field) const {
  auto it = config_.find(field);
  if (it == config_.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) throw PretrainedError(path_ + ": " + field + " is not true, false or null");
  return it->get<bool>();
}

AddedToken TokenizerConfig::addedToken(const std::string& field, const std::string& fallback) const {
  std::string from;
  const nlohmann::json* value = find(field, &from);
  AddedToken token;
  if (!value) {
    token.content = unicode::decode(fallback);
    return token;
  }
  if (value->is_string()) {
    token.content = unicode::decode(value->get<std::string>());
    return token;
  }
  if (value->is_object() && value->contains("content") && (*value)["content"].is_string()) {
    token.content = unicode::decode((*value)["content"].get<std::string>());
    token.lstrip = value->value("lstrip", false);
    token.rstrip = value->value("rstrip", false);
    token.normalized = value->value("normalized", false);
    return token;
  }
  throw PretrainedError(from + ": " + field + " is neither a string nor an object with a \"content\" string");
}

std::string TokenizerConfig::token(const std::string& field, const std::string& fallback) const {
  return unicode::encode(addedToken(field, fallback).content);
}

bool TokenizerConfig::hasToken(const std::string& field) const { return find(field, nullptr) != nullptr; }

std::string TokenizerConfig::tokenFile(const std::string& field) const {
  std::string from;
  find(field, &from);
  return from;
}

bool TokenizerConfig::tokenIsObject(const std::string& field) const {
  const nlohmann::json* value = find(field, nullptr);
  return value && value->is_object();
}

std::vector<std::string> TokenizerConfig::stringList(const std::string& field) const {
  std::vector<std::string> out;
  auto it = config_.find(field);
  if (it == config_.end() || it->is_null()) return out;
  if (!it->is_array()) throw PretrainedError(path_ + ": " + field + " is not a list of strings");
  for (const auto& v : *it) {
    if (!v.is_string()) throw PretrainedError(path_ + ": " + field + " is not a list of strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

std::vector<AddedToken> TokenizerConfig::addedTokens() const {
  std::vector<AddedToken> out;
  if (auto it = config_.find("added_tokens_decoder"); it != config_.end() && !it->is_null()) {
    if (!it->is_object()) throw PretrainedError(path_ + ": added_tokens_decoder is not an object");
    for (const auto& [key, value] : it->items()) {
      AddedToken t;
      try {
        std::size_t used = 0;
        t.id = std::stoll(key, &used);
        if (used != key.size() || t.id < 0) throw std::invalid_argument(key);
      } catch (const std::exception&) {
        throw PretrainedError(path_ + ": added_tokens_decoder key '" + key + "' is not a token id");
      }
      if (!value.is_object() || !value.contains("content") || !value["content"].is_string())
        throw PretrainedError(path_ + ": added_tokens_decoder[" + key + "] has no \"content\" string");
      t.content = unicode::decode(value["content"].get<std::string>());
      t.lstrip = value.value("lstrip", false);
      t.rstrip = value.value("rstrip", false);
      t.normalized = value.value("normalized", false);
      out.push_back(std::move(t));
    }
  }
  const auto legacy = fs::path(folder_) / "added_tokens.json";
  if (fs::exists(legacy)) {
    const auto json = readJsonFile(legacy.string());
    if (!json.is_object()) throw PretrainedError(legacy.string() + ": not an object of token -> id");
    for (const auto& [content, id] : json.items()) {
      if (!id.is_number_integer() || id.get<std::int64_t>() < 0)
        throw PretrainedError(legacy.string() + ": the id of '" + content + "' is not a token id");
      AddedToken t;
      t.content = unicode::decode(content);
      t.id = id.get<std::int64_t>();
      out.push_back(std::move(t));
    }
  }
  return out;
}

std::size_t TokenizerConfig::modelMaxLength() const {
  auto it = config_.find("model_max_length");
  if (it == config_.end() || !it->is_number()) return 0;
  const double value = it->get<double>();
  if (value <= 0 || value >= 1e12) return 0;
  return static_cast<std::size_t>(value);
}

}  // namespace foldbench::pretrained::tokenizer
