#include "foldbench/pretrained/pretrained_token_source.h"

#include <limits>
#include <map>
#include <stdexcept>

#include "foldbench/pretrained/safetensors.h"
#include "foldbench/text/special_tokens.h"

namespace foldbench::pretrained {
namespace {

std::int32_t narrow(std::int64_t id) {
  if (id < 0 || id > std::numeric_limits<std::int32_t>::max())
    throw PretrainedError("token id " + std::to_string(id) + " does not fit the input encoder");
  return static_cast<std::int32_t>(id);
}

class PretrainedTokenSource : public text::TokenSource {
 public:
  PretrainedTokenSource(const PretrainedTokenizer& tokenizer, std::int64_t firstAddedId, bool addMarkers,
                        std::uint64_t fingerprint)
      : tokenizer_(tokenizer), firstAddedId_(firstAddedId), addMarkers_(addMarkers), fingerprint_(fingerprint) {
    // The tokenizer's own special tokens, read off what it adds around empty texts: [CLS] [SEP]
    // and [CLS] [SEP] [SEP] for BERT, <s> </s> and <s> </s></s> </s> for RoBERTa and XLM-R.
    const auto single = tokenizer.encode("").ids;
    if (single.size() != 2)
      throw PretrainedError("the " + tokenizer.kind() + " tokenizer does not wrap a text in two special tokens");
    cls_ = narrow(single.front());
    sep_ = narrow(single.back());
    const auto pair = tokenizer.encodePair("", "").ids;
    if (pair.size() < 3) throw PretrainedError("the " + tokenizer.kind() + " tokenizer does not separate a pair");
    for (std::size_t i = 1; i + 1 < pair.size(); ++i) separator_.push_back(narrow(pair[i]));
  }

  void encodeAppend(std::string_view text, std::vector<std::int32_t>& out) const override {
    for (const auto id : tokenizer_.tokenize(text)) out.push_back(narrow(id));
  }
  std::int32_t clsId() const override { return cls_; }
  std::int32_t sepId() const override { return sep_; }
  std::vector<std::int32_t> pairSeparator() const override { return separator_; }
  std::int32_t markerId(int special) const override {
    if (!addMarkers_ || special < text::kSubjectOpen || special >= text::specialTokenCount()) return -1;
    return narrow(firstAddedId_ + (special - text::kSubjectOpen));
  }
  std::string punctMarker(bool subject, bool open, const std::string& type) const override {
    const std::string sign = subject ? "@" : "#";
    if (!open) return " " + sign;
    if (type.empty()) return sign + " ";
    const std::string star = subject ? "*" : "^";
    return sign + " " + star + " " + entityTypeWord(type) + " " + star + " ";
  }
  std::uint64_t fingerprint() const override { return fingerprint_; }

 private:
  const PretrainedTokenizer& tokenizer_;
  std::int64_t firstAddedId_;
  bool addMarkers_;
  std::uint64_t fingerprint_;
  std::int32_t cls_ = 0, sep_ = 0;
  std::vector<std::int32_t> separator_;
};

}  // namespace

int addedMarkerCount(text::InputFormat inputFormat) {
  return inputFormat == text::InputFormat::EntityMarkers || inputFormat == text::InputFormat::TypedMarkers ? text::specialTokenCount() - text::kSubjectOpen : 0;
}

std::string entityTypeWord(const std::string& type) {
  static const std::map<std::string, std::string> words = {{"PER", "사람"}, {"ORG", "단체"}, {"LOC", "장소"},
                                                           {"DAT", "날짜"}, {"POH", "기타"}, {"NOH", "수량"}};
  const auto it = words.find(type);
  return it == words.end() ? type : it->second;
}

std::unique_ptr<text::TokenSource> makeTokenSource(const PretrainedTokenizer& tokenizer, std::int64_t firstAddedId,
                                                   bool addMarkers, std::uint64_t fingerprint) {
  return std::make_unique<PretrainedTokenSource>(tokenizer, firstAddedId, addMarkers, fingerprint);
}

}  // namespace foldbench::pretrained
