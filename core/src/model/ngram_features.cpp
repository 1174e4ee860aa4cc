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

void charNgrams(const std::u32string& s, int maxN, FeatureSink& sink) {
  // Boundaries marked so prefixes and suffixes (Korean particles) get their own grams.
  const std::u32string padded = U"\u0002" + s + U"\u0003";
  for (int n = 1; n <= maxN; ++n)
    for (std::size_t i = 0; i + static_cast<std::size_t>(n) <= padded.size(); ++i)
      sink.add(std::u32string_view(padded).substr(i, static_cast<std::size_t>(n)), static_cast<char>('0' + n));
}

void wordNgrams(const std::u32string& s, int maxN, FeatureSink& sink) {
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
  for (int n = 1; n <= maxN; ++n)
    for (std::size_t i = 0; i + static_cast<std::size_t>(n) <= words.size(); ++i) {
      std::u32string gram;
      for (int k = 0; k < n; ++k) gram += (k ? U"\u0001" : U"") + words[i + static_cast<std::size_t>(k)];
      sink.add(gram, static_cast<char>('a' + n));
    }
}

void textFeatures(const std::u32string& s, const NgramOptions& o, FeatureSink& sink) {
  charNgrams(s, o.charNgramMax, sink);
  wordNgrams(s, o.wordNgramMax, sink);
}

}  // namespace

NgramFeatures ngramFeatures(const data::Example& ex, const NgramOptions& o) {
  NgramFeatures f;
  const std::u32string sentence = text::decodeUtf8(ex.sentence);
  FeatureSink subject(f.ids[0], 0, o.bucketsLog2), object(f.ids[1], 1, o.bucketsLog2),
      between(f.ids[2], 2, o.bucketsLog2), whole(f.ids[3], 3, o.bucketsLog2);
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
  return f;
}

}  // namespace foldbench::model
