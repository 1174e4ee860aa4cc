#pragma once
// The components of a tokenizer.json pipeline Foldbench runs: normalizers and pre-tokenizers. Each
// parse function refuses a type it does not know with PretrainedError naming the type, its place in
// the file (e.g. normalizer.normalizers[2]) and the file.
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace foldbench::pretrained::tokenizer {

struct JsonPlace {
  std::string file;  // tokenizer.json's path
  std::string at;    // where in it, e.g. "normalizer.normalizers[1]"
  JsonPlace child(const std::string& key) const { return {file, at + "." + key}; }
  JsonPlace item(std::size_t index) const { return {file, at + "[" + std::to_string(index) + "]"}; }
  [[noreturn]] void refuse(const std::string& what) const;
};

// Field readers that refuse a wrong type by name.
bool jsonBool(const nlohmann::json& object, const char* key, bool fallback, const JsonPlace& place);
std::string jsonString(const nlohmann::json& object, const char* key, const JsonPlace& place);
const nlohmann::json& jsonArray(const nlohmann::json& object, const char* key, const JsonPlace& place);
std::string jsonType(const nlohmann::json& component, const JsonPlace& place);

class Normalizer {
 public:
  virtual ~Normalizer() = default;
  virtual std::u32string apply(std::u32string text) const = 0;
};

// BertNormalizer, NFC, NFD, NFKC, NFKD, Lowercase, StripAccents, Replace, Strip, Sequence; Precompiled
// only through `precompiledAllowed` (never, for now: see the report in tokenizer_json.cpp).
std::unique_ptr<Normalizer> parseNormalizer(const nlohmann::json& json, const JsonPlace& place);

struct Word {
  std::u32string text;
  bool atTextStart = false;  // begins at the text's first character (Metaspace's prepend_scheme "first")
};

class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;
  virtual std::vector<Word> apply(std::vector<Word> words) const = 0;
};

// BertPreTokenizer, Whitespace, WhitespaceSplit, Metaspace, Sequence.
std::unique_ptr<PreTokenizer> parsePreTokenizer(const nlohmann::json& json, const JsonPlace& place);

}  // namespace foldbench::pretrained::tokenizer
