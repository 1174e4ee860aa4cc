// tokenizer.json normalizers, as the tokenizers library defines them.
#include <unicode/regex.h>
#include <unicode/unistr.h>

#include "foldbench/pretrained/safetensors.h"
#include "basic_tokenizer.h"
#include "tokenizer_json_parts.h"
#include "unicode_text.h"

namespace foldbench::pretrained::tokenizer {

void JsonPlace::refuse(const std::string& what) const { throw PretrainedError(file + ": " + at + ": " + what); }

bool jsonBool(const nlohmann::json& object, const char* key, bool fallback, const JsonPlace& place) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return fallback;
  if (!it->is_boolean()) place.child(key).refuse("not true or false");
  return it->get<bool>();
}

std::string jsonString(const nlohmann::json& object, const char* key, const JsonPlace& place) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) place.child(key).refuse("missing or not a string");
  return it->get<std::string>();
}

const nlohmann::json& jsonArray(const nlohmann::json& object, const char* key, const JsonPlace& place) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_array()) place.child(key).refuse("missing or not a list");
  return *it;
}

std::string jsonType(const nlohmann::json& component, const JsonPlace& place) {
  if (!component.is_object()) place.refuse("not an object");
  return jsonString(component, "type", place);
}

namespace {

class BertNormalizer final : public Normalizer {
 public:
  BertNormalizer(bool clean, bool chinese, bool strip, bool lower)
      : clean_(clean), chinese_(chinese), strip_(strip), lower_(lower) {}
  std::u32string apply(std::u32string text) const override {
    if (clean_) {
      std::u32string out;
      for (char32_t c : text) {
        if (c == 0 || c == 0xFFFD || unicode::isBertControl(c)) continue;
        const bool space = c == U'\t' || c == U'\n' || c == U'\r' || unicode::isWhiteSpace(c);
        out.push_back(space ? U' ' : c);
      }
      text = std::move(out);
    }
    if (chinese_) text = spaceCjkIdeographs(text);
    if (strip_) text = unicode::stripNonspacingMarks(text);
    if (lower_) text = unicode::lowerEach(text);
    return text;
  }

 private:
  bool clean_, chinese_, strip_, lower_;
};

class FormNormalizer final : public Normalizer {
 public:
  explicit FormNormalizer(unicode::Form form) : form_(form) {}
  std::u32string apply(std::u32string text) const override { return unicode::normalize(text, form_); }

 private:
  unicode::Form form_;
};

class Lowercase final : public Normalizer {
 public:
  std::u32string apply(std::u32string text) const override { return unicode::lowerEach(text); }
};

// Drops every combining mark (M*) without decomposing first: tokenizer.json puts NFD before it.
class StripAccents final : public Normalizer {
 public:
  std::u32string apply(std::u32string text) const override {
    std::u32string out;
    for (char32_t c : text)
      if (!unicode::isMark(c)) out.push_back(c);
    return out;
  }
};

class Strip final : public Normalizer {
 public:
  Strip(bool left, bool right) : left_(left), right_(right) {}
  std::u32string apply(std::u32string text) const override {
    std::size_t begin = 0, end = text.size();
    if (left_)
      while (begin < end && unicode::isWhiteSpace(text[begin])) ++begin;
    if (right_)
      while (end > begin && unicode::isWhiteSpace(text[end - 1])) --end;
    return text.substr(begin, end - begin);
  }

 private:
  bool left_, right_;
};

class ReplaceString final : public Normalizer {
 public:
  ReplaceString(std::u32string pattern, std::u32string content) : pattern_(std::move(pattern)), content_(std::move(content)) {}
  std::u32string apply(std::u32string text) const override {
    if (pattern_.empty()) return text;
    std::u32string out;
    std::size_t start = 0;
    for (std::size_t at; (at = text.find(pattern_, start)) != std::u32string::npos; start = at + pattern_.size())
      out.append(text, start, at - start).append(content_);
    out.append(text, start, std::u32string::npos);
    return out;
  }

 private:
  std::u32string pattern_, content_;
};

icu::UnicodeString toIcu(const std::u32string& text) {
  return icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(text.data()), static_cast<int32_t>(text.size()));
}

std::u32string fromIcu(const icu::UnicodeString& text) {
  std::string utf8;
  text.toUTF8String(utf8);
  return unicode::decode(utf8);
}

// A Regex pattern through ICU's regular expressions (the tokenizers library uses Oniguruma; the
// common patterns, such as " {2,}", read the same).
class ReplaceRegex final : public Normalizer {
 public:
  ReplaceRegex(const std::string& pattern, const std::u32string& content, const JsonPlace& place) {
    UErrorCode status = U_ZERO_ERROR;
    UParseError error;
    pattern_.reset(icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(pattern), error, status));
    if (U_FAILURE(status)) place.refuse("regular expression '" + pattern + "' does not compile (" + u_errorName(status) + ")");
    // Literal replacement text: ICU's replaceAll reads $ and \ in it, so escape them.
    for (char32_t c : content) {
      if (c == U'$' || c == U'\\') content_.append(static_cast<UChar32>(U'\\'));
      content_.append(static_cast<UChar32>(c));
    }
  }
  std::u32string apply(std::u32string text) const override {
    UErrorCode status = U_ZERO_ERROR;
    const icu::UnicodeString input = toIcu(text);  // the matcher keeps a reference to it
    std::unique_ptr<icu::RegexMatcher> matcher(pattern_->matcher(input, status));
    if (U_FAILURE(status)) throw PretrainedError(std::string("tokenizer.json Replace: ") + u_errorName(status));
    matcher->setTimeLimit(5000, status);  // a pattern that backtracks for ever fails instead (about 5 s)
    const icu::UnicodeString result = matcher->replaceAll(content_, status);
    if (U_FAILURE(status)) throw PretrainedError(std::string("tokenizer.json Replace: ") + u_errorName(status));
    return fromIcu(result);
  }

 private:
  std::unique_ptr<icu::RegexPattern> pattern_;
  icu::UnicodeString content_;
};

class SequenceNormalizer final : public Normalizer {
 public:
  explicit SequenceNormalizer(std::vector<std::unique_ptr<Normalizer>> parts) : parts_(std::move(parts)) {}
  std::u32string apply(std::u32string text) const override {
    for (const auto& p : parts_) text = p->apply(std::move(text));
    return text;
  }

 private:
  std::vector<std::unique_ptr<Normalizer>> parts_;
};

}  // namespace

std::unique_ptr<Normalizer> parseNormalizer(const nlohmann::json& json, const JsonPlace& place) {
  const std::string type = jsonType(json, place);
  if (type == "BertNormalizer") {
    const bool lower = jsonBool(json, "lowercase", true, place);
    const bool strip = jsonBool(json, "strip_accents", lower, place);  // null follows lowercase
    return std::make_unique<BertNormalizer>(jsonBool(json, "clean_text", true, place),
                                            jsonBool(json, "handle_chinese_chars", true, place), strip, lower);
  }
  if (type == "NFC") return std::make_unique<FormNormalizer>(unicode::Form::NFC);
  if (type == "NFD") return std::make_unique<FormNormalizer>(unicode::Form::NFD);
  if (type == "NFKC") return std::make_unique<FormNormalizer>(unicode::Form::NFKC);
  if (type == "NFKD") return std::make_unique<FormNormalizer>(unicode::Form::NFKD);
  if (type == "Lowercase") return std::make_unique<Lowercase>();
  if (type == "StripAccents") return std::make_unique<StripAccents>();
  if (type == "Strip")
    return std::make_unique<Strip>(jsonBool(json, "strip_left", true, place), jsonBool(json, "strip_right", true, place));
  if (type == "Replace") {
    const std::u32string content = unicode::decode(jsonString(json, "content", place));
    auto pattern = json.find("pattern");
    if (pattern == json.end() || !pattern->is_object()) place.child("pattern").refuse("missing or not an object");
    if (pattern->contains("String") && (*pattern)["String"].is_string())
      return std::make_unique<ReplaceString>(unicode::decode((*pattern)["String"].get<std::string>()), content);
    if (pattern->contains("Regex") && (*pattern)["Regex"].is_string())
      return std::make_unique<ReplaceRegex>((*pattern)["Regex"].get<std::string>(), content, place.child("pattern"));
    place.child("pattern").refuse("neither {\"String\": ...} nor {\"Regex\": ...}");
  }
  if (type == "Sequence") {
    const auto& list = jsonArray(json, "normalizers", place);
    std::vector<std::unique_ptr<Normalizer>> parts;
    for (std::size_t i = 0; i < list.size(); ++i) parts.push_back(parseNormalizer(list[i], place.child("normalizers").item(i)));
    return std::make_unique<SequenceNormalizer>(std::move(parts));
  }
  if (type == "Precompiled")
    place.refuse("normalizer type 'Precompiled' (a sentencepiece normalisation table) is not supported here; a folder "
                 "with sentencepiece.bpe.model and tokenizer_class XLMRobertaTokenizer[Fast] uses the model instead");
  place.refuse("normalizer type '" + type +
               "' is not supported (BertNormalizer, NFC, NFD, NFKC, NFKD, Lowercase, StripAccents, Replace, Strip, "
               "Sequence)");
}

}  // namespace foldbench::pretrained::tokenizer
