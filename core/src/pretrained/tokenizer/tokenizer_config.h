#pragma once
// tokenizer_config.json and special_tokens_map.json: the class, the switches and the special tokens.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "tokenizer_base.h"

namespace foldbench::pretrained::tokenizer {

// Reads a JSON file; PretrainedError naming the file when it cannot be read or parsed.
nlohmann::json readJsonFile(const std::string& path);

class TokenizerConfig {
 public:
  // Reads <folder>/tokenizer_config.json and special_tokens_map.json when they are there.
  static TokenizerConfig read(const std::string& folder);

  bool present() const { return !path_.empty(); }
  const std::string& path() const { return path_; }  // empty when the folder has no tokenizer_config.json
  std::optional<std::string> tokenizerClass() const;
  // A boolean field; absent or null gives nullopt; another type is refused naming the field.
  std::optional<bool> flag(const std::string& field) const;
  // A special token by its field (unk_token, cls_token, ...): the config's, else special_tokens_map.json's,
  // else `fallback`. A string or an AddedToken object {"content": ...}.
  std::string token(const std::string& field, const std::string& fallback) const;
  // The same with its lstrip/rstrip when it is an AddedToken object.
  AddedToken addedToken(const std::string& field, const std::string& fallback) const;
  bool hasToken(const std::string& field) const;
  bool tokenIsObject(const std::string& field) const;
  // The file that gave the token's field (tokenizer_config.json or special_tokens_map.json).
  std::string tokenFile(const std::string& field) const;
  std::vector<std::string> stringList(const std::string& field) const;
  // added_tokens_decoder ({"id": {content, lstrip, rstrip, normalized, ...}}) and added_tokens.json.
  std::vector<AddedToken> addedTokens() const;
  std::size_t modelMaxLength() const;  // 0 when absent or HF's "no limit" (>= 1e12)

 private:
  const nlohmann::json* find(const std::string& field, std::string* from) const;
  std::string folder_;
  std::string path_;
  std::string mapPath_;
  nlohmann::json config_ = nlohmann::json::object();
  nlohmann::json map_ = nlohmann::json::object();
};

}  // namespace foldbench::pretrained::tokenizer
