// Folders a pretrained tokenizer cannot be read from: each refusal is a PretrainedError that names the
// file and the field or component at fault.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "foldbench/pretrained/pretrained_tokenizer.h"
#include "foldbench/pretrained/safetensors.h"
#include "temp_dir.h"

namespace foldbench::pretrained {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

const std::string kFixtures = std::string(FOLDBENCH_SOURCE_DIR) + "/tests/fixtures/pretrained/tokenizers/";

void write(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string refusal(const std::string& folder) {
  try {
    openPretrainedTokenizer(folder);
  } catch (const PretrainedError& e) {
    return e.what();
  }
  return "(accepted)";
}

// A copy of a fixture folder whose file `name` says `text` instead.
class Altered {
 public:
  Altered(const std::string& fixture, const std::string& name, const std::string& text) {
    for (const auto& entry : std::filesystem::directory_iterator(kFixtures + fixture))
      std::filesystem::copy_file(entry.path(), dir_.file(entry.path().filename().string()));
    write(dir_.file(name), text);
  }
  const std::string& path() const { return dir_.path(); }

 private:
  testing::TempDir dir_;
};

std::string replaced(const std::string& text, const std::string& from, const std::string& to) {
  std::string out = text;
  const auto at = out.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) out.replace(at, from.size(), to);
  return out;
}

TEST(TokenizerRefusals, AFolderWithoutTokenizerFiles) {
  testing::TempDir dir;
  EXPECT_THAT(refusal(dir.path()), HasSubstr("no tokenizer files (vocab.txt, sentencepiece.bpe.model or tokenizer.json)"));
  write(dir.file("tokenizer_config.json"), R"({"tokenizer_class": "BertTokenizer"})");
  EXPECT_THAT(refusal(dir.path()), AllOf(HasSubstr("tokenizer_config.json: tokenizer_class BertTokenizer"),
                                         HasSubstr("needs vocab.txt or tokenizer.json")));
  EXPECT_THAT(refusal(dir.file("missing")), HasSubstr("not a folder"));
}

TEST(TokenizerRefusals, AnUnknownTokenizerClass) {
  Altered folder("wordpiece-cased", "tokenizer_config.json", R"({"tokenizer_class": "GPT2Tokenizer"})");
  EXPECT_THAT(refusal(folder.path()),
              AllOf(HasSubstr("tokenizer_config.json: tokenizer_class GPT2Tokenizer is not supported"),
                    HasSubstr("BertTokenizer")));
  Altered notString("wordpiece-cased", "tokenizer_config.json", R"({"tokenizer_class": 3})");
  EXPECT_THAT(refusal(notString.path()), HasSubstr("tokenizer_class is not a string"));
}

TEST(TokenizerRefusals, AConfigFieldOfTheWrongType) {
  Altered folder("wordpiece-cased", "tokenizer_config.json",
                 R"({"tokenizer_class": "BertTokenizer", "do_lower_case": "yes"})");
  EXPECT_THAT(refusal(folder.path()), HasSubstr("tokenizer_config.json: do_lower_case is not true, false or null"));
  Altered broken("wordpiece-cased", "tokenizer_config.json", "{\"tokenizer_class\": ");
  EXPECT_THAT(refusal(broken.path()), HasSubstr("tokenizer_config.json: not valid JSON"));
}

TEST(TokenizerRefusals, AMalformedVocabTxt) {
  Altered empty("wordpiece-cased", "vocab.txt", "");
  EXPECT_THAT(refusal(empty.path()), HasSubstr("vocab.txt: empty, no pieces"));
  Altered invalid("wordpiece-cased", "vocab.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\nab\xC3(\n");
  EXPECT_THAT(refusal(invalid.path()), HasSubstr("vocab.txt: line 5 is not valid UTF-8"));
  Altered noCls("wordpiece-cased", "vocab.txt", "[PAD]\n[UNK]\n[SEP]\n[MASK]\na\n");
  EXPECT_THAT(refusal(noCls.path()), HasSubstr("vocab.txt has no piece '[CLS]', the cls_token of " + noCls.path() +
                                               "/tokenizer_config.json"));
}

TEST(TokenizerRefusals, VocabTxtLinesEndInAnyNewlineAndARepeatedPieceKeepsItsLastLine) {
  // No [MASK] piece either: only masked-LM needs one.
  Altered folder("wordpiece-cased", "vocab.txt", "[PAD]\r\n[UNK]\r[CLS]\n[SEP]\nab\n##c\nab\n");
  const auto tokenizer = openPretrainedTokenizer(folder.path());
  EXPECT_EQ(tokenizer->vocabSize(), 7);
  EXPECT_EQ(tokenizer->piece(6), "ab");
  EXPECT_EQ(tokenizer->tokenize("abc"), (std::vector<std::int64_t>{6, 5}));
  EXPECT_EQ(tokenizer->tokenize("abd"), (std::vector<std::int64_t>{1}));
}

TEST(TokenizerRefusals, UnknownTokenizerJsonComponentsByTypeAndPlace) {
  const std::string json = read(kFixtures + "tokenizer-json-unigram/tokenizer.json");
  const struct {
    std::string from, to, message;
  } cases[] = {
      {R"("type": "NFKC")", R"("type": "Precompiled", "precompiled_charsmap": "")",
       "normalizer.normalizers[0]: normalizer type 'Precompiled'"},
      {R"("type": "NFKC")", R"("type": "Nmt")", "normalizer.normalizers[0]: normalizer type 'Nmt' is not supported"},
      {R"("type": "WhitespaceSplit")", R"("type": "ByteLevel")",
       "pre_tokenizer.pretokenizers[0]: pre-tokenizer type 'ByteLevel' is not supported"},
      {R"("type": "RobertaProcessing")", R"("type": "ByteLevel")",
       "post_processor: post-processor type 'ByteLevel' is not supported"},
      {R"("type": "Unigram")", R"("type": "BPE")", "model: model type 'BPE' is not supported (WordPiece, Unigram)"},
      {R"("byte_fallback": false)", R"("byte_fallback": true)", "model.byte_fallback: byte_fallback true is not supported"},
      {R"("unk_id": 3)", R"("unk_id": 99999)", "model.unk_id: outside the vocab"},
  };
  for (const auto& c : cases) {
    Altered folder("tokenizer-json-unigram", "tokenizer.json", replaced(json, c.from, c.to));
    EXPECT_THAT(refusal(folder.path()), AllOf(HasSubstr("tokenizer.json: "), HasSubstr(c.message))) << c.to;
  }
  Altered broken("tokenizer-json-unigram", "tokenizer.json", "{");
  EXPECT_THAT(refusal(broken.path()), HasSubstr("tokenizer.json: not valid JSON"));
  const std::string wordPiece = read(kFixtures + "tokenizer-json-wordpiece/tokenizer.json");
  Altered noUnk("tokenizer-json-wordpiece", "tokenizer.json",
                replaced(wordPiece, R"("unk_token": "[UNK]")", R"("unk_token": "[NOPE]")"));
  EXPECT_THAT(refusal(noUnk.path()), HasSubstr("model.unk_token: '[NOPE]' is not in the vocab"));
}

TEST(TokenizerRefusals, AnXlmrFolderWithABrokenModelOrOtherFixedTokens) {
  Altered broken("xlmr-spm", "sentencepiece.bpe.model", "not a model");
  EXPECT_THAT(refusal(broken.path()), AllOf(HasSubstr("sentencepiece.bpe.model: not a sentencepiece model")));
  Altered renamed("xlmr-spm", "tokenizer_config.json", R"({"tokenizer_class": "XLMRobertaTokenizer", "cls_token": "[CLS]"})");
  EXPECT_THAT(refusal(renamed.path()), HasSubstr("cls_token '[CLS]' differs from XLM-R's fixed '<s>'"));
}

TEST(TokenizerChoice, FollowsTokenizerClassNotTheFilesAlone) {
  // klue/roberta-*: a RoBERTa encoder whose tokenizer_config.json names BertTokenizer and ships
  // vocab.txt beside a tokenizer.json: the class picks vocab.txt's WordPiece.
  testing::TempDir dir;
  for (const char* name : {"vocab.txt", "special_tokens_map.json"})
    std::filesystem::copy_file(kFixtures + "wordpiece-cased/" + name, dir.file(name));
  std::filesystem::copy_file(kFixtures + "tokenizer-json-unigram/tokenizer.json", dir.file("tokenizer.json"));
  write(dir.file("tokenizer_config.json"), R"({"tokenizer_class": "BertTokenizer", "do_lower_case": false})");
  write(dir.file("config.json"), R"({"model_type": "roberta"})");
  EXPECT_EQ(openPretrainedTokenizer(dir.path())->kind(), "WordPiece (vocab.txt)");
  // Without a class (older folders such as bert-base-uncased), vocab.txt before tokenizer.json, with
  // BertTokenizer's default lower-casing.
  std::filesystem::remove(dir.file("tokenizer_config.json"));
  EXPECT_EQ(openPretrainedTokenizer(dir.path())->kind(), "WordPiece (vocab.txt, lower-cased)");
  std::filesystem::remove(dir.file("vocab.txt"));
  EXPECT_THAT(refusal(dir.path()), HasSubstr("tokenizer.json has no token '[PAD]', the pad_token of " +
                                             dir.file("special_tokens_map.json")));
  std::filesystem::remove(dir.file("special_tokens_map.json"));
  EXPECT_EQ(openPretrainedTokenizer(dir.path())->kind(), "tokenizer.json Unigram");
  // xlm-roberta-base: no class, sentencepiece.bpe.model beside a tokenizer.json.
  std::filesystem::copy_file(kFixtures + "xlmr-spm/sentencepiece.bpe.model", dir.file("sentencepiece.bpe.model"));
  EXPECT_EQ(openPretrainedTokenizer(dir.path())->kind(), "XLM-R sentencepiece (sentencepiece.bpe.model)");
}

}  // namespace
}  // namespace foldbench::pretrained
