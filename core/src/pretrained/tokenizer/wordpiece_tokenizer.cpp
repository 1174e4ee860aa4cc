#include "wordpiece_tokenizer.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include "basic_tokenizer.h"
#include "foldbench/pretrained/safetensors.h"
#include "unicode_text.h"

namespace foldbench::pretrained::tokenizer {

namespace fs = std::filesystem;

namespace {

// Invalid bytes decode to U+FFFD, which encodes to other bytes.
bool validUtf8(const std::string& text) { return unicode::encode(unicode::decode(text)) == text; }

const std::pair<const char*, const char*> kSpecialFields[] = {
    {"unk_token", "[UNK]"}, {"sep_token", "[SEP]"}, {"pad_token", "[PAD]"}, {"cls_token", "[CLS]"},
    {"mask_token", "[MASK]"}};

}  // namespace

VocabTxt readVocabTxt(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw PretrainedError(path + ": cannot be read");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  if (text.empty()) throw PretrainedError(path + ": empty, no pieces");
  VocabTxt vocab;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find_first_of("\r\n", start);
    if (end == std::string::npos) end = text.size();
    std::string piece = text.substr(start, end - start);
    if (!validUtf8(piece))
      throw PretrainedError(path + ": line " + std::to_string(vocab.pieces.size() + 1) + " is not valid UTF-8");
    vocab.ids[piece] = static_cast<std::int64_t>(vocab.pieces.size());
    vocab.pieces.push_back(std::move(piece));
    if (end < text.size() && text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n') ++end;
    start = end + 1;
  }
  return vocab;
}

namespace {

class VocabTxtTokenizer final : public TokenizerBase {
 public:
  VocabTxtTokenizer(const VocabTxtTokenizer&) = delete;
  VocabTxtTokenizer& operator=(const VocabTxtTokenizer&) = delete;
  VocabTxtTokenizer(const std::string& folder, const TokenizerConfig& config) {
    const std::string path = (fs::path(folder) / "vocab.txt").string();
    VocabTxt vocab = readVocabTxt(path);
    pieces_ = std::move(vocab.pieces);
    model_.vocab = std::move(vocab.ids);
    // BertTokenizer's defaults: do_lower_case true, tokenize_chinese_chars true.
    options_.lowerCase = config.flag("do_lower_case").value_or(true);
    options_.stripAccents = config.flag("strip_accents");
    options_.chineseCharacters = config.flag("tokenize_chinese_chars").value_or(true);
    modelMaxLength_ = config.modelMaxLength();
    const auto where = [&](const std::string& field) {
      const std::string file = config.tokenFile(field);
      return file.empty() ? std::string("BertTokenizer's default") : "the " + field + " of " + file;
    };
    const auto idOf = [&](const std::string& field, const std::string& fallback) {
      const std::string token = config.token(field, fallback);
      auto it = model_.vocab.find(token);
      if (it == model_.vocab.end()) throw PretrainedError(path + " has no piece '" + token + "', " + where(field));
      return it->second;
    };
    model_.unkId = idOf("unk_token", "[UNK]");
    clsId_ = idOf("cls_token", "[CLS]");
    sepId_ = idOf("sep_token", "[SEP]");
    padId_ = idOf("pad_token", "[PAD]");
    // The special tokens are kept whole wherever they appear; so are added tokens.
    for (const auto& [field, fallback] : kSpecialFields) {
      AddedToken t = config.addedToken(field, fallback);
      auto it = model_.vocab.find(unicode::encode(t.content));
      if (it == model_.vocab.end()) {
        if (std::string(field) == "mask_token") continue;  // no mask piece: only masked-LM needs one
        throw PretrainedError(path + " has no piece '" + unicode::encode(t.content) + "', " + where(field));
      }
      t.id = it->second;
      neverSplit_.insert(t.content);
      added_.push_back(std::move(t));
    }
    for (auto& t : config.addedTokens()) {
      neverSplit_.insert(t.content);
      added_.push_back(std::move(t));
    }
    for (const auto& word : config.stringList("never_split")) neverSplit_.insert(unicode::decode(word));
    for (const auto& t : added_) addedPointers_.push_back(&t);
    vocabSize_ = static_cast<std::int64_t>(pieces_.size());
    for (const auto& t : added_) vocabSize_ = std::max(vocabSize_, t.id + 1);
  }

  std::vector<std::int64_t> tokenize(std::string_view text) const override {
    std::vector<std::int64_t> ids;
    for (const auto& segment : splitAddedTokens(unicode::decode(text), addedPointers_)) {
      if (segment.token) {
        ids.push_back(segment.token->id);
        continue;
      }
      // PreTrainedTokenizer.tokenize lower-cases the text outside special tokens one character at a
      // time before the basic tokenizer runs.
      const std::u32string part = options_.lowerCase ? unicode::lowerEach(segment.text) : segment.text;
      for (const auto& word : basicTokenize(part, options_, neverSplit_)) {
        if (neverSplit_.count(word)) {
          auto it = model_.vocab.find(unicode::encode(word));
          ids.push_back(it == model_.vocab.end() ? model_.unkId : it->second);
        } else {
          model_.tokenize(word, ids);
        }
      }
    }
    return ids;
  }

  std::int64_t vocabSize() const override { return vocabSize_; }
  std::int64_t padId() const override { return padId_; }
  std::int64_t unkId() const override { return model_.unkId; }
  std::string kind() const override {
    return std::string("WordPiece (vocab.txt") + (options_.lowerCase ? ", lower-cased" : "") + ")";
  }
  std::string piece(std::int64_t id) const override {
    if (id >= 0 && id < static_cast<std::int64_t>(pieces_.size())) return pieces_[static_cast<std::size_t>(id)];
    for (const auto& t : added_)
      if (t.id == id) return unicode::encode(t.content);
    return {};
  }

 protected:
  TokenizedText withSpecials(const std::vector<std::int64_t>& a, const std::vector<std::int64_t>* b) const override {
    TokenizedText out;
    out.ids.push_back(clsId_);
    out.ids.insert(out.ids.end(), a.begin(), a.end());
    out.ids.push_back(sepId_);
    out.typeIds.assign(out.ids.size(), 0);
    if (b) {
      out.ids.insert(out.ids.end(), b->begin(), b->end());
      out.ids.push_back(sepId_);
      out.typeIds.resize(out.ids.size(), 1);
    }
    return out;
  }

 private:
  WordPieceModel model_;
  std::vector<std::string> pieces_;
  BasicTokenizerOptions options_;
  std::unordered_set<std::u32string> neverSplit_;
  std::vector<AddedToken> added_;
  std::vector<const AddedToken*> addedPointers_;
  std::int64_t clsId_ = 0, sepId_ = 0, padId_ = 0, vocabSize_ = 0;
};

}  // namespace

std::unique_ptr<PretrainedTokenizer> openVocabTxtTokenizer(const std::string& folder, const TokenizerConfig& config) {
  return std::make_unique<VocabTxtTokenizer>(folder, config);
}

}  // namespace foldbench::pretrained::tokenizer
