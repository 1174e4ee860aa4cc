// tokenizer.json pre-tokenizers, as the tokenizers library defines them.
#include "foldbench/pretrained/safetensors.h"
#include "tokenizer_json_parts.h"
#include "unicode_text.h"

namespace foldbench::pretrained::tokenizer {

namespace {

// Splits each word with `split(word, emit)`, where emit(begin, end) names a piece of it; a piece
// starting at the word's first character keeps the word's atTextStart.
template <typename Split>
std::vector<Word> splitWords(std::vector<Word> words, Split split) {
  std::vector<Word> out;
  for (auto& word : words)
    split(word.text, [&](std::size_t begin, std::size_t end) {
      out.push_back({word.text.substr(begin, end - begin), word.atTextStart && begin == 0});
    });
  return out;
}

// Whitespace is dropped; each punctuation character is a piece of its own.
class BertPreTokenizer final : public PreTokenizer {
 public:
  std::vector<Word> apply(std::vector<Word> words) const override {
    return splitWords(std::move(words), [](const std::u32string& t, auto emit) {
      std::size_t begin = 0;
      for (std::size_t i = 0; i < t.size(); ++i) {
        const bool space = unicode::isWhiteSpace(t[i]);
        if (space || unicode::isBertPunctuation(t[i])) {
          if (i > begin) emit(begin, i);
          if (!space) emit(i, i + 1);
          begin = i + 1;
        }
      }
      if (t.size() > begin) emit(begin, t.size());
    });
  }
};

class WhitespaceSplit final : public PreTokenizer {
 public:
  std::vector<Word> apply(std::vector<Word> words) const override {
    return splitWords(std::move(words), [](const std::u32string& t, auto emit) {
      std::size_t begin = 0;
      for (std::size_t i = 0; i <= t.size(); ++i) {
        if (i == t.size() || unicode::isWhiteSpace(t[i])) {
          if (i > begin) emit(begin, i);
          begin = i + 1;
        }
      }
    });
  }
};

// The regular expression \w+|[^\w\s]+.
class Whitespace final : public PreTokenizer {
 public:
  std::vector<Word> apply(std::vector<Word> words) const override {
    return splitWords(std::move(words), [](const std::u32string& t, auto emit) {
      std::size_t i = 0;
      while (i < t.size()) {
        if (unicode::isWhiteSpace(t[i])) {
          ++i;
          continue;
        }
        std::size_t j = i;
        if (unicode::isWordCharacter(t[i])) {
          while (j < t.size() && unicode::isWordCharacter(t[j])) ++j;
        } else {
          while (j < t.size() && !unicode::isWordCharacter(t[j]) && !unicode::isWhiteSpace(t[j])) ++j;
        }
        emit(i, j);
        i = j;
      }
    });
  }
};

// Spaces become the replacement (▁); prepend_scheme "always" (or add_prefix_space) puts one before a
// (non-empty) word that lacks it, "first" only before the text's first word; split starts a piece at each ▁.
class Metaspace final : public PreTokenizer {
 public:
  enum class Prepend { Always, First, Never };
  Metaspace(char32_t replacement, Prepend prepend, bool split) : replacement_(replacement), prepend_(prepend), split_(split) {}
  std::vector<Word> apply(std::vector<Word> words) const override {
    std::vector<Word> out;
    for (auto& word : words) {
      std::u32string text = word.text;
      for (auto& c : text)
        if (c == U' ') c = replacement_;
      const bool prepend = prepend_ == Prepend::Always || (prepend_ == Prepend::First && word.atTextStart);
      if (prepend && !text.empty() && text.front() != replacement_) text.insert(text.begin(), replacement_);
      if (!split_) {
        out.push_back({text, word.atTextStart});
        continue;
      }
      std::size_t begin = 0;
      for (std::size_t i = 1; i <= text.size(); ++i) {
        if (i == text.size() || text[i] == replacement_) {
          if (i > begin) out.push_back({text.substr(begin, i - begin), word.atTextStart && begin == 0});
          begin = i;
        }
      }
    }
    return out;
  }

 private:
  char32_t replacement_;
  Prepend prepend_;
  bool split_;
};

class SequencePreTokenizer final : public PreTokenizer {
 public:
  explicit SequencePreTokenizer(std::vector<std::unique_ptr<PreTokenizer>> parts) : parts_(std::move(parts)) {}
  std::vector<Word> apply(std::vector<Word> words) const override {
    for (const auto& p : parts_) words = p->apply(std::move(words));
    return words;
  }

 private:
  std::vector<std::unique_ptr<PreTokenizer>> parts_;
};

}  // namespace

std::unique_ptr<PreTokenizer> parsePreTokenizer(const nlohmann::json& json, const JsonPlace& place) {
  const std::string type = jsonType(json, place);
  if (type == "BertPreTokenizer") return std::make_unique<BertPreTokenizer>();
  if (type == "WhitespaceSplit") return std::make_unique<WhitespaceSplit>();
  if (type == "Whitespace") return std::make_unique<Whitespace>();
  if (type == "Metaspace") {
    std::u32string replacement = U"\u2581";
    if (json.contains("replacement")) replacement = unicode::decode(jsonString(json, "replacement", place));
    else if (json.contains("str_rep")) replacement = unicode::decode(jsonString(json, "str_rep", place));
    if (replacement.size() != 1) place.child("replacement").refuse("not a single character");
    Metaspace::Prepend prepend = jsonBool(json, "add_prefix_space", true, place) ? Metaspace::Prepend::Always
                                                                                 : Metaspace::Prepend::Never;
    if (auto it = json.find("prepend_scheme"); it != json.end() && !it->is_null()) {
      const std::string scheme = it->is_string() ? it->get<std::string>() : std::string();
      if (scheme == "always") prepend = Metaspace::Prepend::Always;
      else if (scheme == "first") prepend = Metaspace::Prepend::First;
      else if (scheme == "never") prepend = Metaspace::Prepend::Never;
      else place.child("prepend_scheme").refuse("not \"always\", \"first\" or \"never\"");
    }
    return std::make_unique<Metaspace>(replacement[0], prepend, jsonBool(json, "split", true, place));
  }
  if (type == "Sequence") {
    const auto& list = jsonArray(json, "pretokenizers", place);
    std::vector<std::unique_ptr<PreTokenizer>> parts;
    for (std::size_t i = 0; i < list.size(); ++i)
      parts.push_back(parsePreTokenizer(list[i], place.child("pretokenizers").item(i)));
    return std::make_unique<SequencePreTokenizer>(std::move(parts));
  }
  place.refuse("pre-tokenizer type '" + type +
               "' is not supported (BertPreTokenizer, Whitespace, WhitespaceSplit, Metaspace, Sequence)");
}

}  // namespace foldbench::pretrained::tokenizer
