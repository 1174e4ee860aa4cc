#include "tokenizer_json.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "foldbench/pretrained/safetensors.h"
#include "tokenizer_json_parts.h"
#include "unicode_text.h"
#include "unigram.h"
#include "wordpiece.h"

namespace foldbench::pretrained::tokenizer {

namespace {

using nlohmann::json;

struct TemplateItem {
  bool special = false;
  std::string id;  // the special token's name, or "A"/"B"
  std::int64_t typeId = 0;
};

struct PostProcessor {
  enum class Kind { None, Template, Bert, Roberta } kind = Kind::None;
  std::vector<TemplateItem> single, pair;
  std::map<std::string, std::vector<std::int64_t>> specialIds;
  std::int64_t cls = 0, sep = 0;
};

std::int64_t nonNegativeId(const json& value, const JsonPlace& place) {
  if (!value.is_number_integer() || value.get<std::int64_t>() < 0 || value.get<std::int64_t>() > (std::int64_t{1} << 31))
    place.refuse("not a token id");
  return value.get<std::int64_t>();
}

std::vector<TemplateItem> parseTemplate(const json& list, const JsonPlace& place) {
  if (!list.is_array()) place.refuse("not a list");
  std::vector<TemplateItem> items;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto where = place.item(i);
    const json& item = list[i];
    TemplateItem t;
    const json* body = nullptr;
    if (item.is_object() && item.contains("SpecialToken")) {
      t.special = true;
      body = &item["SpecialToken"];
    } else if (item.is_object() && item.contains("Sequence")) {
      body = &item["Sequence"];
    } else {
      where.refuse("neither a SpecialToken nor a Sequence");
    }
    if (!body->is_object()) where.refuse("not an object");
    t.id = jsonString(*body, "id", where);
    if (!t.special && t.id != "A" && t.id != "B") where.refuse("sequence id '" + t.id + "' is neither A nor B");
    if (body->contains("type_id")) t.typeId = nonNegativeId((*body)["type_id"], where.child("type_id"));
    items.push_back(std::move(t));
  }
  return items;
}

std::pair<std::string, std::int64_t> tokenAndId(const json& value, const JsonPlace& place) {
  if (!value.is_array() || value.size() != 2 || !value[0].is_string()) place.refuse("not [token, id]");
  return {value[0].get<std::string>(), nonNegativeId(value[1], place)};
}

PostProcessor parsePostProcessor(const json& spec, const JsonPlace& place) {
  PostProcessor post;
  if (spec.is_null()) return post;
  const std::string type = jsonType(spec, place);
  if (type == "TemplateProcessing") {
    post.kind = PostProcessor::Kind::Template;
    if (!spec.contains("single") || !spec.contains("pair")) place.refuse("TemplateProcessing lacks single or pair");
    post.single = parseTemplate(spec["single"], place.child("single"));
    post.pair = parseTemplate(spec["pair"], place.child("pair"));
    if (spec.contains("special_tokens")) {
      const json& specials = spec["special_tokens"];
      if (!specials.is_object()) place.child("special_tokens").refuse("not an object");
      for (const auto& [name, value] : specials.items()) {
        const auto where = place.child("special_tokens").child(name);
        if (!value.is_object()) where.refuse("not an object");
        const json& ids = jsonArray(value, "ids", where);
        for (std::size_t i = 0; i < ids.size(); ++i) post.specialIds[name].push_back(nonNegativeId(ids[i], where.child("ids").item(i)));
      }
    }
    for (const auto* items : {&post.single, &post.pair})
      for (const auto& item : *items)
        if (item.special && !post.specialIds.count(item.id))
          place.refuse("the template names special token '" + item.id + "', which special_tokens lacks");
    return post;
  }
  if (type == "BertProcessing" || type == "RobertaProcessing") {
    post.kind = type == "BertProcessing" ? PostProcessor::Kind::Bert : PostProcessor::Kind::Roberta;
    if (!spec.contains("cls") || !spec.contains("sep")) place.refuse(type + " lacks cls or sep");
    post.cls = tokenAndId(spec["cls"], place.child("cls")).second;
    post.sep = tokenAndId(spec["sep"], place.child("sep")).second;
    return post;
  }
  place.refuse("post-processor type '" + type + "' is not supported (TemplateProcessing, BertProcessing, RobertaProcessing)");
}

class JsonTokenizer final : public TokenizerBase {
 public:
  JsonTokenizer(const JsonTokenizer&) = delete;
  JsonTokenizer& operator=(const JsonTokenizer&) = delete;

  JsonTokenizer(const std::string& text, const std::string& file, const TokenizerConfig* config) {
    splitBudget_ = true;
    json spec;
    try {
      spec = json::parse(text);
    } catch (const json::exception& e) {
      throw PretrainedError(file + ": not valid JSON (" + e.what() + ")");
    }
    const JsonPlace root{file, "tokenizer.json"};
    if (!spec.is_object()) root.refuse("not a JSON object");
    parseModel(spec, {file, "model"});
    if (spec.contains("added_tokens") && !spec["added_tokens"].is_null()) {
      const auto& list = jsonArray(spec, "added_tokens", {file, "tokenizer.json"});
      for (std::size_t i = 0; i < list.size(); ++i) {
        const JsonPlace where{file, "added_tokens[" + std::to_string(i) + "]"};
        if (!list[i].is_object()) where.refuse("not an object");
        AddedToken t;
        t.content = unicode::decode(jsonString(list[i], "content", where));
        if (!list[i].contains("id")) where.refuse("no id");
        t.id = nonNegativeId(list[i]["id"], where.child("id"));
        t.lstrip = jsonBool(list[i], "lstrip", false, where);
        t.rstrip = jsonBool(list[i], "rstrip", false, where);
        t.normalized = jsonBool(list[i], "normalized", false, where);
        added_.push_back(std::move(t));
      }
    }
    for (const auto& t : added_) (t.normalized ? normalizedAdded_ : rawAdded_).push_back(&t);
    if (spec.contains("normalizer") && !spec["normalizer"].is_null())
      normalizer_ = parseNormalizer(spec["normalizer"], {file, "normalizer"});
    if (spec.contains("pre_tokenizer") && !spec["pre_tokenizer"].is_null())
      preTokenizer_ = parsePreTokenizer(spec["pre_tokenizer"], {file, "pre_tokenizer"});
    if (spec.contains("post_processor")) post_ = parsePostProcessor(spec["post_processor"], {file, "post_processor"});

    for (const auto& t : added_) vocabSize_ = std::max(vocabSize_, t.id + 1);
    for (const auto& item : post_.specialIds)
      for (auto id : item.second) vocabSize_ = std::max(vocabSize_, id + 1);
    vocabSize_ = std::max({vocabSize_, post_.cls + 1, post_.sep + 1});

    // The pad token: tokenizer_config.json's pad_token, else the file's padding.pad_id, else [PAD] or <pad>.
    std::optional<std::int64_t> pad;
    if (config && config->hasToken("pad_token")) {
      const std::string name = config->token("pad_token", "");
      pad = idOf(name);
      if (!pad) throw PretrainedError(file + " has no token '" + name + "', the pad_token of " + config->tokenFile("pad_token"));
    } else if (spec.contains("padding") && spec["padding"].is_object() && spec["padding"].contains("pad_id")) {
      pad = nonNegativeId(spec["padding"]["pad_id"], {file, "padding.pad_id"});
    } else {
      pad = idOf("[PAD]");
      if (!pad) pad = idOf("<pad>");
    }
    if (!pad) throw PretrainedError(file + ": no pad token (no pad_token in tokenizer_config.json, no padding.pad_id, "
                                    "no [PAD] or <pad>)");
    padId_ = *pad;
    if (config) modelMaxLength_ = config->modelMaxLength();
  }

  std::vector<std::int64_t> tokenize(std::string_view text) const override {
    std::vector<std::int64_t> ids;
    for (const auto& segment : splitAddedTokens(unicode::decode(text), rawAdded_)) {
      if (segment.token) {
        ids.push_back(segment.token->id);
        continue;
      }
      const std::u32string normalized = normalizer_ ? normalizer_->apply(segment.text) : segment.text;
      for (const auto& part : splitAddedTokens(normalized, normalizedAdded_)) {
        if (part.token) {
          ids.push_back(part.token->id);
          continue;
        }
        std::vector<Word> words{{part.text, segment.atTextStart && part.atTextStart}};
        if (preTokenizer_) words = preTokenizer_->apply(std::move(words));
        for (const auto& word : words) {
          if (word.text.empty()) continue;
          if (unigram_) unigram_->tokenize(word.text, ids);
          else wordPiece_.tokenize(word.text, ids);
        }
      }
    }
    return ids;
  }

  std::int64_t vocabSize() const override { return vocabSize_; }
  std::int64_t padId() const override { return padId_; }
  std::int64_t unkId() const override { return unkId_; }
  std::string kind() const override { return unigram_ ? "tokenizer.json Unigram" : "tokenizer.json WordPiece"; }
  std::string piece(std::int64_t id) const override {
    for (const auto& t : added_)
      if (t.id == id) return unicode::encode(t.content);
    if (id < 0) return {};
    if (unigram_) return static_cast<std::size_t>(id) < unigram_->size() ? unicode::encode(unigram_->piece(static_cast<std::size_t>(id))) : "";
    auto it = pieces_.find(id);
    return it == pieces_.end() ? std::string() : it->second;
  }

 protected:
  TokenizedText withSpecials(const std::vector<std::int64_t>& a, const std::vector<std::int64_t>* b) const override {
    TokenizedText out;
    const auto add = [&](const std::vector<std::int64_t>& ids, std::int64_t type) {
      out.ids.insert(out.ids.end(), ids.begin(), ids.end());
      out.typeIds.insert(out.typeIds.end(), ids.size(), type);
    };
    switch (post_.kind) {
      case PostProcessor::Kind::None:
        add(a, 0);
        if (b) add(*b, 1);
        break;
      case PostProcessor::Kind::Bert:
        add({post_.cls}, 0), add(a, 0), add({post_.sep}, 0);
        if (b) add(*b, 1), add({post_.sep}, 1);
        break;
      case PostProcessor::Kind::Roberta:
        add({post_.cls}, 0), add(a, 0), add({post_.sep}, 0);
        if (b) add({post_.sep}, 0), add(*b, 0), add({post_.sep}, 0);
        break;
      case PostProcessor::Kind::Template:
        for (const auto& item : b ? post_.pair : post_.single) {
          if (item.special) add(post_.specialIds.at(item.id), item.typeId);
          else if (item.id == "A") add(a, item.typeId);
          else if (b) add(*b, item.typeId);
        }
        break;
    }
    return out;
  }

 private:
  std::optional<std::int64_t> idOf(const std::string& token) const {
    const std::u32string content = unicode::decode(token);
    for (const auto& t : added_)
      if (t.content == content) return t.id;
    if (unigram_) {
      for (std::size_t id = 0; id < unigram_->size(); ++id)
        if (unigram_->piece(id) == content) return static_cast<std::int64_t>(id);
      return std::nullopt;
    }
    if (auto it = wordPiece_.vocab.find(token); it != wordPiece_.vocab.end()) return it->second;
    return std::nullopt;
  }

  void parseModel(const json& spec, const JsonPlace& place) {
    if (!spec.contains("model")) place.refuse("missing");
    const json& model = spec["model"];
    const std::string type = jsonType(model, place);
    if (type == "WordPiece") {
      const json& vocab = model.contains("vocab") ? model["vocab"] : json();
      if (!vocab.is_object()) place.child("vocab").refuse("missing or not an object of piece -> id");
      for (const auto& [piece, id] : vocab.items()) {
        const std::int64_t value = nonNegativeId(id, place.child("vocab").child(piece));
        wordPiece_.vocab[piece] = value;
        pieces_[value] = piece;
        vocabSize_ = std::max(vocabSize_, value + 1);
      }
      const std::string unk = model.contains("unk_token") ? jsonString(model, "unk_token", place) : "[UNK]";
      auto it = wordPiece_.vocab.find(unk);
      if (it == wordPiece_.vocab.end()) place.child("unk_token").refuse("'" + unk + "' is not in the vocab");
      wordPiece_.unkId = unkId_ = it->second;
      if (model.contains("continuing_subword_prefix") && !model["continuing_subword_prefix"].is_null())
        wordPiece_.prefix = jsonString(model, "continuing_subword_prefix", place);
      if (model.contains("max_input_chars_per_word")) {
        const json& m = model["max_input_chars_per_word"];
        if (!m.is_number_unsigned()) place.child("max_input_chars_per_word").refuse("not a count");
        wordPiece_.maxCharacters = m.get<std::size_t>();
      }
      return;
    }
    if (type == "Unigram") {
      const json& vocab = jsonArray(model, "vocab", place);
      std::vector<std::pair<std::u32string, double>> pieces;
      for (std::size_t i = 0; i < vocab.size(); ++i) {
        const json& entry = vocab[i];
        if (!entry.is_array() || entry.size() != 2 || !entry[0].is_string() || !entry[1].is_number())
          place.child("vocab").item(i).refuse("not [piece, score]");
        pieces.emplace_back(unicode::decode(entry[0].get<std::string>()), entry[1].get<double>());
      }
      if (pieces.empty()) place.child("vocab").refuse("empty");
      std::int64_t unk = -1;
      if (model.contains("unk_id") && !model["unk_id"].is_null()) {
        unk = nonNegativeId(model["unk_id"], place.child("unk_id"));
        if (static_cast<std::size_t>(unk) >= pieces.size()) place.child("unk_id").refuse("outside the vocab");
      }
      if (jsonBool(model, "byte_fallback", false, place))
        place.child("byte_fallback").refuse("byte_fallback true is not supported");
      vocabSize_ = static_cast<std::int64_t>(pieces.size());
      unkId_ = unk;
      unigram_ = std::make_unique<UnigramModel>(std::move(pieces), unk, jsonBool(model, "fuse_unk", true, place));
      return;
    }
    place.refuse("model type '" + type + "' is not supported (WordPiece, Unigram)");
  }

  WordPieceModel wordPiece_;
  std::map<std::int64_t, std::string> pieces_;
  std::unique_ptr<UnigramModel> unigram_;
  std::unique_ptr<Normalizer> normalizer_;
  std::unique_ptr<PreTokenizer> preTokenizer_;
  PostProcessor post_;
  std::vector<AddedToken> added_;
  std::vector<const AddedToken*> rawAdded_, normalizedAdded_;
  std::int64_t vocabSize_ = 0, padId_ = 0, unkId_ = -1;
};

}  // namespace

std::unique_ptr<PretrainedTokenizer> openTokenizerJson(const std::string& folder, const TokenizerConfig& config) {
  const std::string path = (std::filesystem::path(folder) / "tokenizer.json").string();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw PretrainedError(path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return std::make_unique<JsonTokenizer>(text.str(), path, &config);
}

std::unique_ptr<PretrainedTokenizer> parseTokenizerJson(const std::string& text, const std::string& label) {
  return std::make_unique<JsonTokenizer>(text, label, nullptr);
}

}  // namespace foldbench::pretrained::tokenizer

namespace foldbench::pretrained {

std::unique_ptr<PretrainedTokenizer> parseTokenizerJsonText(const std::string& text, const std::string& label) {
  return tokenizer::parseTokenizerJson(text, label);
}

}  // namespace foldbench::pretrained
