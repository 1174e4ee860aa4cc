#include "foldbench/text/input_encoder.h"

#include <algorithm>
#include <stdexcept>

#include "foldbench/text/special_tokens.h"
#include "foldbench/text/utf8.h"

namespace foldbench::text {

namespace {

struct Range {
  int first = -1, last = -1;  // token indices, inclusive
  int size() const { return last - first + 1; }
};

// Sentence tokens plus the token range of each entity (markers included when present).
struct Body {
  std::vector<std::int32_t> ids;
  Range subject, object;
};

struct Boundary {
  int pos;       // code point offset
  bool open;
  bool subject;
  int otherEnd;  // the span's other boundary, for ordering nested spans
};

// Closes before opens at the same offset; the outer span opens first and closes last, so
// nested or overlapping spans still produce a valid sequence.
bool boundaryBefore(const Boundary& a, const Boundary& b) {
  if (a.pos != b.pos) return a.pos < b.pos;
  if (a.open != b.open) return !a.open;
  // Opens: the longer span (later end) first. Closes: the later-opened span (later start) first.
  return a.otherEnd > b.otherEnd;
}

class BodyBuilder {
 public:
  BodyBuilder(const TokenSource& tokenizer, InputFormat format) : tokenizer_(tokenizer), format_(format) {}

  // The pair format's second text: the sentence tokenized in one piece, as Hugging Face tokenizes a
  // pair's text (cut at the entities, a particle attached to one, "이순신은", would become a word of
  // its own). The entity ranges, which only steer truncation, come from the token counts of the
  // text before each entity's start and through its end.
  Body buildWhole(const data::Example& ex) const {
    Body body;
    const auto offsets = codePointByteOffsets(ex.sentence);
    const int length = static_cast<int>(offsets.size()) - 1;
    tokenizer_.encodeAppend(ex.sentence, body.ids);
    const int n = static_cast<int>(body.ids.size());
    const auto tokensBefore = [&](int codePoint) {
      codePoint = std::clamp(codePoint, 0, length);
      std::vector<std::int32_t> prefix;
      tokenizer_.encodeAppend(std::string_view(ex.sentence).substr(0, offsets[static_cast<std::size_t>(codePoint)]), prefix);
      return std::min(static_cast<int>(prefix.size()), n);
    };
    for (auto [span, range] : {std::pair{&ex.subject, &body.subject}, std::pair{&ex.object, &body.object}}) {
      range->first = std::min(tokensBefore(span->start), std::max(0, n - 1));
      range->last = std::max(range->first, tokensBefore(span->end + 1) - 1);
    }
    return body;
  }

  Body build(const data::Example& ex, bool withMarkers) {
    Body body;
    const auto offsets = codePointByteOffsets(ex.sentence);
    const int length = static_cast<int>(offsets.size()) - 1;
    std::vector<Boundary> bounds = {{ex.subject.start, true, true, ex.subject.end + 1},
                                    {ex.subject.end + 1, false, true, ex.subject.start},
                                    {ex.object.start, true, false, ex.object.end + 1},
                                    {ex.object.end + 1, false, false, ex.object.start}};
    for (auto& b : bounds) b.pos = std::clamp(b.pos, 0, length);
    std::sort(bounds.begin(), bounds.end(), boundaryBefore);
    int cursor = 0;
    for (const auto& b : bounds) {
      appendText(ex.sentence, offsets, cursor, b.pos, body.ids);
      cursor = b.pos;
      Range& range = b.subject ? body.subject : body.object;
      const int before = static_cast<int>(body.ids.size());
      if (withMarkers) appendMarker(b, b.subject ? ex.subject.type : ex.object.type, body.ids);
      if (b.open) range.first = before;
      else range.last = static_cast<int>(body.ids.size()) - 1;
    }
    appendText(ex.sentence, offsets, cursor, length, body.ids);
    for (Range* r : {&body.subject, &body.object})
      if (r->last < r->first) r->last = r->first;  // an entity that encoded to nothing
    return body;
  }

 private:
  void appendText(const std::string& s, const std::vector<std::size_t>& offsets, int from, int to,
                  std::vector<std::int32_t>& out) const {
    if (to <= from) return;
    const auto begin = offsets[static_cast<std::size_t>(from)], end = offsets[static_cast<std::size_t>(to)];
    tokenizer_.encodeAppend(std::string_view(s).substr(begin, end - begin), out);
  }

  void appendMarker(const Boundary& b, const std::string& type, std::vector<std::int32_t>& out) const {
    switch (format_) {
      case InputFormat::TypedMarkers: {
        const int typed = typedMarkerId(b.subject, b.open, type);
        const int id = typed >= 0 ? tokenizer_.markerId(typed) : -1;
        if (id >= 0) {
          out.push_back(id);
          return;
        }
        [[fallthrough]];
      }
      case InputFormat::EntityMarkers: {
        const int id = tokenizer_.markerId(b.subject ? (b.open ? kSubjectOpen : kSubjectClose)
                                                     : (b.open ? kObjectOpen : kObjectClose));
        if (id < 0) throw std::invalid_argument("this vocabulary has no entity marker tokens");
        out.push_back(id);
        return;
      }
      case InputFormat::PunctMarkers:
        tokenizer_.encodeAppend(tokenizer_.punctMarker(b.subject, b.open, type), out);
        return;
      case InputFormat::EntityPair:
        return;
    }
  }

  const TokenSource& tokenizer_;
  InputFormat format_;
};

// Foldbench's own vocabulary: specials and markers take the first ids (special_tokens.h).
class OwnVocabulary : public TokenSource {
 public:
  explicit OwnVocabulary(const Tokenizer& tokenizer) : tokenizer_(tokenizer) {}
  void encodeAppend(std::string_view text, std::vector<std::int32_t>& out) const override {
    tokenizer_.encodeAppend(text, out);
  }
  std::int32_t clsId() const override { return kCls; }
  std::int32_t sepId() const override { return kSep; }
  std::int32_t markerId(int special) const override { return special; }
  std::uint64_t fingerprint() const override { return tokenizer_.fingerprint(); }

 private:
  const Tokenizer& tokenizer_;
};

// Chooses which body tokens to keep within `budget`, never dropping entity tokens.
std::vector<int> keptIndices(const Body& body, int budget, bool& truncated) {
  const int n = static_cast<int>(body.ids.size());
  std::vector<int> kept;
  truncated = n > budget;
  if (!truncated) {
    kept.resize(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) kept[static_cast<std::size_t>(i)] = i;
    return kept;
  }
  const Range& a = body.subject.first <= body.object.first ? body.subject : body.object;
  const Range& b = body.subject.first <= body.object.first ? body.object : body.subject;
  const int lo = a.first, hi = std::max(a.last, b.last);
  const auto pushRange = [&](int from, int to) {
    for (int i = from; i <= to; ++i) kept.push_back(i);
  };
  if (hi - lo + 1 <= budget) {
    // A window around both entities, context split evenly left and right.
    const int extra = budget - (hi - lo + 1);
    int left = std::min(extra / 2, lo);
    const int right = std::min(extra - left, n - 1 - hi);
    left = std::min(extra - right, lo);
    pushRange(lo - left, hi + right);
    return kept;
  }
  if (b.first > a.last && a.size() + b.size() <= budget) {
    // Entities too far apart: keep both, and the gap's ends next to each of them.
    const int gapBudget = budget - a.size() - b.size();
    const int afterA = gapBudget / 2;
    pushRange(a.first, a.last + afterA);
    pushRange(b.first - (gapBudget - afterA), b.last);
    return kept;
  }
  throw std::length_error("entities need " + std::to_string(hi - lo + 1) + " tokens, more than max_len allows");
}

int indexAfterKeep(const std::vector<int>& kept, int original) {
  const auto it = std::lower_bound(kept.begin(), kept.end(), original);
  return static_cast<int>(it - kept.begin());
}

}  // namespace

std::string formatName(InputFormat format) { return nameOf(format); }

std::vector<std::string> inputFormatNames() {
  std::vector<std::string> names;
  for (const auto& [format, name] : EnumNames<InputFormat>::all()) names.emplace_back(name);
  return names;
}

InputFormat parseInputFormat(const std::string& name) {
  try {
    return enumFromString<InputFormat>(name);
  } catch (const std::invalid_argument&) {
    throw std::invalid_argument("unknown input format '" + name + "' (pair, markers, typed, punct)");
  }
}

std::string TokenSource::punctMarker(bool subject, bool open, const std::string& type) const {
  std::string text = subject ? "@" : "#";
  if (open && !type.empty()) text += subject ? " *" + type + "* " : " ^" + type + "^ ";
  return open ? text : " " + text;
}

InputEncoder::InputEncoder(const Tokenizer& tokenizer, EncodeOptions options)
    : owned_(std::make_unique<OwnVocabulary>(tokenizer)), source_(*owned_), options_(options) {
  if (options_.maxLen < 8) throw std::invalid_argument("max_len must be at least 8");
}

InputEncoder::InputEncoder(const TokenSource& source, EncodeOptions options) : source_(source), options_(options) {
  if (options_.maxLen < 8) throw std::invalid_argument("max_len must be at least 8");
}

InputEncoder::~InputEncoder() = default;

EncodedExample InputEncoder::encode(const data::Example& ex) const {
  EncodedExample out;
  BodyBuilder builder(source_, options_.format);
  const std::int32_t cls = source_.clsId(), sep = source_.sepId();
  if (!ex.hasEntities()) {
    // Plain text classification: [CLS] text [SEP], cut at the end.
    out.ids.push_back(cls);
    source_.encodeAppend(ex.sentence, out.ids);
    out.truncated = static_cast<int>(out.ids.size()) > options_.maxLen - 1;
    if (out.truncated) out.ids.resize(static_cast<std::size_t>(options_.maxLen - 1));
    out.ids.push_back(sep);
    out.segments.assign(out.ids.size(), 0);
    return out;
  }

  out.ids.push_back(cls);
  int prefixLength = 1;
  if (options_.format == InputFormat::EntityPair) {
    // The first text is "subject [SEP] object", the sentence the second (the write-up's input).
    out.subjectPos = 1;
    source_.encodeAppend(ex.subject.text, out.ids);
    out.ids.push_back(sep);
    out.objectPos = static_cast<int>(out.ids.size());
    source_.encodeAppend(ex.object.text, out.ids);
    for (const auto id : source_.pairSeparator()) out.ids.push_back(id);
    prefixLength = static_cast<int>(out.ids.size());
    if (prefixLength + 2 > options_.maxLen)
      throw std::length_error("the entity pair alone exceeds max_len " + std::to_string(options_.maxLen));
  }
  const Body body = options_.format == InputFormat::EntityPair ? builder.buildWhole(ex) : builder.build(ex, true);
  const int budget = options_.maxLen - prefixLength - 1;
  const std::vector<int> kept = keptIndices(body, budget, out.truncated);
  for (int i : kept) out.ids.push_back(body.ids[static_cast<std::size_t>(i)]);
  out.ids.push_back(sep);
  out.segments.assign(out.ids.size(), 0);
  if (options_.format == InputFormat::EntityPair) {
    std::fill(out.segments.begin() + prefixLength, out.segments.end(), 1);
  } else {
    out.subjectPos = prefixLength + indexAfterKeep(kept, body.subject.first);
    out.objectPos = prefixLength + indexAfterKeep(kept, body.object.first);
  }
  return out;
}

}  // namespace foldbench::text
