#include "foldbench/model/ngram_features.h"

#include <algorithm>

#include "foldbench/text/hash.h"
#include "foldbench/text/utf8.h"

namespace foldbench::model {

namespace {

class FeatureSink {
 public:
  FeatureSink(std::vector<std::int64_t>& out, int part, int bucketsLog2)
      : out_(out), salt_(static_cast<std::int64_t>(part)), mask_((std::int64_t{1} << bucketsLog2) - 1) {}

  void add(std::u32string_view gram, char kind) {
    text::Fnv1a h;
    h.add(salt_).add(std::string_view(&kind, 1));
    h.add(std::string_view(reinterpret_cast<const char*>(gram.data()), gram.size() * sizeof(char32_t)));
    // Bucket 0 is left for padding-free "no feature" parts.
    out_.push_back(1 + static_cast<std::int64_t>(h.value() & static_cast<std::uint64_t>(mask_ - 1)));
  }
  void add(const std::string& token) {
    add(text::decodeUtf8(token), 't');
  }

 private:
  std::vector<std::int64_t>& out_;
  std::int64_t salt_;
  std::int64_t mask_;
};

// Calls take(gram, n) for every run of n = minN..maxN characters of s, shortest first.
template <typename Take>
void forEachCharNgram(std::u32string_view s, int minN, int maxN, Take&& take) {
  for (int n = minN; n <= maxN; ++n)
    for (std::size_t i = 0; i + static_cast<std::size_t>(n) <= s.size(); ++i) take(s.substr(i, static_cast<std::size_t>(n)), n);
}

void charNgrams(const std::u32string& s, int maxN, FeatureSink& sink) {
  // Boundaries marked so prefixes and suffixes (Korean particles) get their own grams.
  const std::u32string padded = U"\u0002" + s + U"\u0003";
  forEachCharNgram(padded, 1, maxN, [&](std::u32string_view gram, int n) { sink.add(gram, static_cast<char>('0' + n)); });
}

std::vector<std::u32string> splitWords(const std::u32string& s) {
  std::vector<std::u32string> words;
  std::u32string current;
  for (char32_t c : s) {
    if (c == U' ' || c == U'\t') {
      if (!current.empty()) words.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

// Calls take(gram, n) for every n-gram of 1..maxN words, the words joined by U+0001.
template <typename Take>
void forEachWordNgram(const std::vector<std::u32string>& words, int maxN, Take&& take) {
  for (int n = 1; n <= maxN; ++n)
    for (std::size_t i = 0; i + static_cast<std::size_t>(n) <= words.size(); ++i) {
      std::u32string gram;
      for (int k = 0; k < n; ++k) gram += (k ? U"\u0001" : U"") + words[i + static_cast<std::size_t>(k)];
      take(gram, n);
    }
}

void wordNgrams(const std::u32string& s, int maxN, FeatureSink& sink) {
  forEachWordNgram(splitWords(s), maxN, [&](const std::u32string& gram, int n) { sink.add(gram, static_cast<char>('a' + n)); });
}

void textFeatures(const std::u32string& s, const NgramOptions& o, FeatureSink& sink) {
  charNgrams(s, o.charNgramMax, sink);
  wordNgrams(s, o.wordNgramMax, sink);
}

// Private-use characters stand for the two mentions, so "<S>는 <O>의 아들" is one pattern
// whoever the entities are.
constexpr char32_t kSubjectMark = U'\uE000';
constexpr char32_t kObjectMark = U'\uE001';

bool hasMark(std::u32string_view s) {
  return s.find(kSubjectMark) != std::u32string_view::npos || s.find(kObjectMark) != std::u32string_view::npos;
}

std::u32string maskedSentence(const std::u32string& sentence, const data::Example& ex) {
  const auto& first = ex.subject.start <= ex.object.start ? ex.subject : ex.object;
  const auto& second = &first == &ex.subject ? ex.object : ex.subject;
  const auto size = static_cast<int>(sentence.size());
  const auto mark = [&](const data::EntitySpan& e) { return &e == &ex.subject ? kSubjectMark : kObjectMark; };
  const auto clamp = [&](int i) { return static_cast<std::size_t>(std::max(0, std::min(i, size))); };
  std::u32string m = sentence.substr(0, clamp(first.start));
  m += mark(first);
  // Nested or overlapping mentions keep only the first mark: there is no text between them.
  if (second.start > first.end) {
    m += sentence.substr(clamp(first.end + 1), clamp(second.start) - clamp(first.end + 1));
    m += mark(second);
  }
  const std::size_t rest = clamp(std::max(first.end, second.end) + 1);
  m += sentence.substr(rest);
  return m;
}

// The relational patterns: character 2-5-grams and word 1-3-grams of the masked sentence that
// touch a mention, and the pair of mentions itself (the same pair recurs across sentences).
void contextFeatures(const std::u32string& sentence, const data::Example& ex, FeatureSink& sink) {
  const std::u32string m = maskedSentence(sentence, ex);
  forEachCharNgram(m, 2, 5, [&](std::u32string_view gram, int n) {
    if (hasMark(gram)) sink.add(gram, static_cast<char>('A' + n));
  });
  forEachWordNgram(splitWords(m), 3, [&](const std::u32string& gram, int n) {
    if (hasMark(gram)) sink.add(gram, static_cast<char>('J' + n));
  });
  sink.add("PAIR=" + ex.subject.text + "\x01" + ex.object.text);
}

}  // namespace

int ngramPartCount(bool context) { return context ? kContextPart + 1 : kContextPart; }

NgramFeatures ngramFeatures(const data::Example& ex, const NgramOptions& o) {
  NgramFeatures f;
  f.ids.resize(static_cast<std::size_t>(ngramPartCount(o.context)));
  const std::u32string sentence = text::decodeUtf8(ex.sentence);
  FeatureSink subject(f.ids[kSubjectPart], kSubjectPart, o.bucketsLog2),
      object(f.ids[kObjectPart], kObjectPart, o.bucketsLog2), between(f.ids[kBetweenPart], kBetweenPart, o.bucketsLog2),
      whole(f.ids[kSentencePart], kSentencePart, o.bucketsLog2);
  textFeatures(text::decodeUtf8(ex.subject.text), o, subject);
  textFeatures(text::decodeUtf8(ex.object.text), o, object);
  if (!ex.subject.type.empty()) subject.add("TYPE=" + ex.subject.type);
  if (!ex.object.type.empty()) object.add("TYPE=" + ex.object.type);
  if (ex.hasEntities()) {
    const bool subjectFirst = ex.subject.start <= ex.object.start;
    const int from = std::min(subjectFirst ? ex.subject.end : ex.object.end, static_cast<int>(sentence.size()) - 1) + 1;
    const int to = std::max(from, subjectFirst ? ex.object.start : ex.subject.start);
    textFeatures(sentence.substr(static_cast<std::size_t>(from), static_cast<std::size_t>(to - from)), o, between);
    between.add(subjectFirst ? "ORDER=SO" : "ORDER=OS");
    const int gap = to - from;
    between.add("GAP=" + std::to_string(gap < 4 ? gap : gap < 8 ? 4 : gap < 16 ? 8 : gap < 32 ? 16 : 32));
    // The words right after each entity carry particles (은/는/이/가/의...) that signal roles.
    const auto after = [&](const data::EntitySpan& e) {
      const auto start = static_cast<std::size_t>(std::min(e.end + 1, static_cast<int>(sentence.size())));
      return sentence.substr(start, std::min<std::size_t>(2, sentence.size() - start));
    };
    subject.add(text::encodeUtf8(U"AFTER=" + after(ex.subject)));
    object.add(text::encodeUtf8(U"AFTER=" + after(ex.object)));
  }
  textFeatures(sentence, o, whole);
  if (o.context) {
    FeatureSink context(f.ids[kContextPart], kContextPart, o.bucketsLog2);
    if (ex.hasEntities()) contextFeatures(sentence, ex, context);
    else context.add("NO_ENTITIES");
  }
  return f;
}

}  // namespace foldbench::model
