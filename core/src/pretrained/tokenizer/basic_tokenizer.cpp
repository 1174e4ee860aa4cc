#include "basic_tokenizer.h"

#include "unicode_text.h"

namespace foldbench::pretrained::tokenizer {

std::u32string cleanBertText(std::u32string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (char32_t c : text) {
    if (c == 0 || c == 0xFFFD || unicode::isBertControl(c)) continue;
    out.push_back(unicode::isBertWhitespace(c) ? U' ' : c);
  }
  return out;
}

std::u32string spaceCjkIdeographs(std::u32string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (char32_t c : text) {
    if (unicode::isCjkIdeograph(c)) {
      out.push_back(U' ');
      out.push_back(c);
      out.push_back(U' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

namespace {

// Python's str.split() with no argument.
std::vector<std::u32string> splitPythonWhitespace(std::u32string_view text) {
  std::vector<std::u32string> words;
  std::u32string current;
  for (char32_t c : text) {
    if (unicode::isPythonSpace(c)) {
      if (!current.empty()) words.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

void splitPunctuation(const std::u32string& word, const std::unordered_set<std::u32string>& neverSplit,
                      std::vector<std::u32string>& out) {
  if (neverSplit.count(word)) {
    out.push_back(word);
    return;
  }
  bool newWord = true;
  for (char32_t c : word) {
    if (unicode::isBertPunctuation(c)) {
      out.emplace_back(1, c);
      newWord = true;
    } else {
      if (newWord) out.emplace_back();
      newWord = false;
      out.back().push_back(c);
    }
  }
}

}  // namespace

std::vector<std::u32string> basicTokenize(std::u32string_view text, const BasicTokenizerOptions& options,
                                          const std::unordered_set<std::u32string>& neverSplit) {
  std::u32string cleaned = cleanBertText(text);
  if (options.chineseCharacters) cleaned = spaceCjkIdeographs(cleaned);
  cleaned = unicode::normalize(cleaned, unicode::Form::NFC);
  const bool strip = options.stripAccents.value_or(options.lowerCase);
  std::vector<std::u32string> pieces;
  for (auto& word : splitPythonWhitespace(cleaned)) {
    if (!neverSplit.count(word)) {
      if (options.lowerCase) {
        word = unicode::lowerEach(word);
        if (strip) word = unicode::stripNonspacingMarks(word);
      } else if (options.stripAccents.value_or(false)) {
        word = unicode::stripNonspacingMarks(word);
      }
    }
    splitPunctuation(word, neverSplit, pieces);
  }
  // The Python code joins the pieces with spaces and splits again: pieces are never empty or spaced,
  // except that stripping marks can leave a word empty.
  std::vector<std::u32string> words;
  for (auto& p : pieces)
    for (auto& w : splitPythonWhitespace(p)) words.push_back(std::move(w));
  return words;
}

}  // namespace foldbench::pretrained::tokenizer
