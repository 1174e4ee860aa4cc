#include "xlmr_sentencepiece.h"

#include <filesystem>

#include "foldbench/pretrained/safetensors.h"
#include "foldbench/text/tokenizer.h"
#include "unicode_text.h"

namespace foldbench::pretrained::tokenizer {

namespace {

constexpr std::int64_t kBos = 0, kPad = 1, kEos = 2, kUnk = 3;

class XlmrSentencepiece final : public TokenizerBase {
 public:
  XlmrSentencepiece(const XlmrSentencepiece&) = delete;
  XlmrSentencepiece& operator=(const XlmrSentencepiece&) = delete;

  XlmrSentencepiece(const std::string& folder, const TokenizerConfig& config)
      : model_(load((std::filesystem::path(folder) / "sentencepiece.bpe.model").string())) {
    maskId_ = model_.pieceCount() + 1;
    modelMaxLength_ = config.modelMaxLength();
    // The fairseq tokens are fixed; the config may only spell them the usual way.
    const std::pair<const char*, const char*> fixed[] = {
        {"bos_token", "<s>"}, {"cls_token", "<s>"}, {"pad_token", "<pad>"}, {"eos_token", "</s>"},
        {"sep_token", "</s>"}, {"unk_token", "<unk>"}};
    for (const auto& [field, usual] : fixed)
      if (config.token(field, usual) != usual)
        throw PretrainedError(config.path() + ": " + field + " '" + config.token(field, usual) +
                              "' differs from XLM-R's fixed '" + usual + "'");
    const std::int64_t ids[] = {kBos, kPad, kEos, kUnk};
    const char* names[] = {"<s>", "<pad>", "</s>", "<unk>"};
    for (int k = 0; k < 4; ++k) {
      AddedToken t;
      t.content = unicode::decode(names[k]);
      t.id = ids[k];
      added_.push_back(t);
    }
    // <mask> takes the whitespace before it (lstrip), as XLMRobertaTokenizer declares it unless the
    // config spells the token out as an object.
    AddedToken mask = config.addedToken("mask_token", "<mask>");
    if (!config.tokenIsObject("mask_token")) mask.lstrip = true;
    mask.id = maskId_;
    added_.push_back(mask);
    for (auto& t : config.addedTokens()) {
      bool known = false;
      for (const auto& a : added_) known = known || a.content == t.content;
      if (!known) added_.push_back(std::move(t));
    }
    for (const auto& t : added_) pointers_.push_back(&t);
    vocabSize_ = maskId_ + 1;
    for (const auto& t : added_) vocabSize_ = std::max(vocabSize_, t.id + 1);
  }

  std::vector<std::int64_t> tokenize(std::string_view text) const override {
    std::vector<std::int64_t> ids;
    for (const auto& segment : splitAddedTokens(unicode::decode(text), pointers_)) {
      if (segment.token) {
        ids.push_back(segment.token->id);
        continue;
      }
      for (const std::int32_t piece : model_.encodePieceIds(unicode::encode(segment.text)))
        ids.push_back(piece > 0 ? piece + 1 : kUnk);
    }
    return ids;
  }

  std::int64_t vocabSize() const override { return vocabSize_; }
  std::int64_t padId() const override { return kPad; }
  std::int64_t unkId() const override { return kUnk; }
  std::string kind() const override { return "XLM-R sentencepiece (sentencepiece.bpe.model)"; }
  std::string piece(std::int64_t id) const override {
    for (const auto& t : added_)
      if (t.id == id) return unicode::encode(t.content);
    if (id > kUnk && id <= model_.pieceCount()) return model_.pieceText(static_cast<int>(id - 1));
    return {};
  }

 protected:
  TokenizedText withSpecials(const std::vector<std::int64_t>& a, const std::vector<std::int64_t>* b) const override {
    TokenizedText out;
    out.ids.push_back(kBos);
    out.ids.insert(out.ids.end(), a.begin(), a.end());
    out.ids.push_back(kEos);
    if (b) {
      out.ids.push_back(kEos);
      out.ids.insert(out.ids.end(), b->begin(), b->end());
      out.ids.push_back(kEos);
    }
    out.typeIds.assign(out.ids.size(), 0);
    return out;
  }

 private:
  static text::Tokenizer load(const std::string& path) {
    if (!std::filesystem::exists(path)) throw PretrainedError(path + ": not found");
    try {
      return text::Tokenizer::load(path);
    } catch (const std::exception& e) {
      throw PretrainedError(path + ": not a sentencepiece model the plugin can load (" + e.what() + ")");
    }
  }

  text::Tokenizer model_;
  std::int64_t maskId_ = 0;
  std::int64_t vocabSize_ = 0;
  std::vector<AddedToken> added_;
  std::vector<const AddedToken*> pointers_;
};

}  // namespace

std::unique_ptr<PretrainedTokenizer> openXlmrSentencepiece(const std::string& folder, const TokenizerConfig& config) {
  return std::make_unique<XlmrSentencepiece>(folder, config);
}

}  // namespace foldbench::pretrained::tokenizer
