// Every tokenizer fixture (tests/fixtures/pretrained/tokenizers/<name>/, written by
// scripts/pretrained_fixtures/reference_tokenizers.py, an independent Python implementation) gives
// the reference ids and type ids for each row of its reference.tsv: sample sentences, pairs, edge
// cases (accents, control characters, CJK next to Hangul, fullwidth forms, a 120-character word,
// emoji, combining marks, specials written in the text) and truncated rows.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "foldbench/pretrained/pretrained_tokenizer.h"
#include "foldbench/pretrained/safetensors.h"

namespace foldbench::pretrained {
namespace {

const std::string kFixtures = std::string(FOLDBENCH_SOURCE_DIR) + "/tests/fixtures/pretrained/tokenizers/";

std::string unescape(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out.push_back(text[i]);
      continue;
    }
    const char c = text[++i];
    out.push_back(c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c == '0' ? '\0' : c);
  }
  return out;
}

std::vector<std::string> split(const std::string& line, char separator) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, separator)) fields.push_back(field);
  if (!line.empty() && line.back() == separator) fields.emplace_back();
  return fields;
}

std::vector<std::int64_t> numbers(const std::string& text) {
  std::vector<std::int64_t> out;
  std::istringstream in(text);
  for (std::int64_t v; in >> v;) out.push_back(v);
  return out;
}

struct Row {
  std::string text;
  bool hasPair = false;
  std::string pair;
  std::size_t maxLength = 0;
  std::vector<std::int64_t> ids, typeIds;
  int line = 0;
};

std::vector<Row> readReference(const std::string& folder) {
  std::ifstream in(folder + "/reference.tsv", std::ios::binary);
  EXPECT_TRUE(in) << folder;
  std::vector<Row> rows;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    const auto fields = split(line, '\t');
    EXPECT_EQ(fields.size(), 5u) << folder << " line " << number;
    if (fields.size() != 5) continue;
    Row row;
    row.text = unescape(fields[0]);
    row.hasPair = fields[1] != "\\N";
    if (row.hasPair) row.pair = unescape(fields[1]);
    row.maxLength = static_cast<std::size_t>(std::stoul(fields[2]));
    row.ids = numbers(fields[3]);
    row.typeIds = numbers(fields[4]);
    row.line = number;
    rows.push_back(std::move(row));
  }
  return rows;
}

struct FixtureCase {
  const char* name;
  const char* kind;
  std::int64_t vocabSize;
  std::int64_t padId;
};

class TokenizerFixture : public ::testing::TestWithParam<FixtureCase> {};

TEST_P(TokenizerFixture, GivesTheReferenceIdsForEveryRow) {
  const FixtureCase c = GetParam();
  const std::string folder = kFixtures + c.name;
  const auto tokenizer = openPretrainedTokenizer(folder);
  EXPECT_EQ(tokenizer->kind(), c.kind);
  EXPECT_EQ(tokenizer->vocabSize(), c.vocabSize);
  EXPECT_EQ(tokenizer->padId(), c.padId);
  EXPECT_EQ(tokenizer->modelMaxLength(), 512u);
  const auto rows = readReference(folder);
  ASSERT_GE(rows.size(), 50u);
  int truncated = 0, pairs = 0;
  for (const auto& row : rows) {
    const TokenizedText got = row.hasPair ? tokenizer->encodePair(row.text, row.pair, row.maxLength)
                                          : tokenizer->encode(row.text, row.maxLength);
    EXPECT_EQ(got.ids, row.ids) << c.name << " reference.tsv line " << row.line << ": " << row.text;
    EXPECT_EQ(got.typeIds, row.typeIds) << c.name << " reference.tsv line " << row.line;
    if (row.maxLength > 0) {
      ++truncated;
      EXPECT_EQ(got.ids.size(), row.maxLength) << "line " << row.line << " is long enough to be truncated";
    }
    pairs += row.hasPair;
    for (auto id : got.ids) {
      EXPECT_GE(id, 0);
      EXPECT_LT(id, tokenizer->vocabSize());
    }
  }
  EXPECT_GE(truncated, 4);
  EXPECT_GE(pairs, 6);
}

TEST_P(TokenizerFixture, TokenizeIsEncodeWithoutSpecials) {
  const FixtureCase c = GetParam();
  const auto tokenizer = openPretrainedTokenizer(kFixtures + c.name);
  for (const auto& row : readReference(kFixtures + c.name)) {
    if (row.hasPair || row.maxLength > 0) continue;
    const auto pieces = tokenizer->tokenize(row.text);
    ASSERT_EQ(pieces.size() + 2, row.ids.size()) << row.text;
    EXPECT_TRUE(std::equal(pieces.begin(), pieces.end(), row.ids.begin() + 1)) << row.text;
  }
}

TEST_P(TokenizerFixture, NamesItsSpecialPieces) {
  const FixtureCase c = GetParam();
  const auto tokenizer = openPretrainedTokenizer(kFixtures + c.name);
  const bool bert = std::string(c.name).find("wordpiece") != std::string::npos;
  EXPECT_EQ(tokenizer->piece(tokenizer->padId()), bert ? "[PAD]" : "<pad>");
  EXPECT_EQ(tokenizer->piece(tokenizer->unkId()), bert ? "[UNK]" : "<unk>");
  const auto specials = tokenizer->encode("");
  ASSERT_EQ(specials.ids.size(), 2u);
  EXPECT_EQ(tokenizer->piece(specials.ids[0]), bert ? "[CLS]" : "<s>");
  EXPECT_EQ(tokenizer->piece(specials.ids[1]), bert ? "[SEP]" : "</s>");
  EXPECT_EQ(tokenizer->piece(tokenizer->vocabSize()), "");
}

TEST_P(TokenizerFixture, RefusesAMaxLengthShorterThanItsSpecials) {
  const auto tokenizer = openPretrainedTokenizer(kFixtures + GetParam().name);
  EXPECT_THROW(tokenizer->encode("한국어", 1), PretrainedError);
  EXPECT_THROW(tokenizer->encodePair("a", "b", 2), PretrainedError);
  EXPECT_EQ(tokenizer->encode("한국어 문장이다", 2).ids.size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, TokenizerFixture,
    ::testing::Values(FixtureCase{"wordpiece-cased", "WordPiece (vocab.txt)", 400, 0},
                      FixtureCase{"wordpiece-uncased", "WordPiece (vocab.txt, lower-cased)", 400, 0},
                      FixtureCase{"xlmr-spm", "XLM-R sentencepiece (sentencepiece.bpe.model)", 402, 1},
                      FixtureCase{"tokenizer-json-wordpiece", "tokenizer.json WordPiece", 400, 0},
                      FixtureCase{"tokenizer-json-unigram", "tokenizer.json Unigram", 402, 1}),
    [](const auto& info) {
      std::string name = info.param.name;
      for (auto& ch : name)
        if (ch == '-') ch = '_';
      return name;
    });

}  // namespace
}  // namespace foldbench::pretrained
