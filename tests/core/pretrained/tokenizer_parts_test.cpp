// The tokenizers' parts on hand-worked cases: Unicode helpers, BERT's basic tokenizer, WordPiece,
// Unigram's Viterbi, tokenizer.json's normalizers and pre-tokenizers, and the two truncations.
#include <gtest/gtest.h>

#include "basic_tokenizer.h"
#include "foldbench/pretrained/safetensors.h"
#include "tokenizer_base.h"
#include "tokenizer_json.h"
#include "tokenizer_json_parts.h"
#include "unicode_text.h"
#include "unigram.h"
#include "wordpiece.h"

namespace foldbench::pretrained::tokenizer {
namespace {

using unicode::decode;
using unicode::encode;

std::vector<std::string> utf8(const std::vector<std::u32string>& words) {
  std::vector<std::string> out;
  for (const auto& w : words) out.push_back(encode(w));
  return out;
}

TEST(TokenizerUnicode, DecodesInvalidBytesAsReplacementCharacters) {
  EXPECT_EQ(decode("a\xC3\xA9"), U"a\u00E9");
  EXPECT_EQ(decode("a\xC3"), U"a\uFFFD");
  EXPECT_EQ(decode("\xED\xA0\x80"), U"\uFFFD\uFFFD\uFFFD");  // an encoded surrogate
  EXPECT_EQ(decode("\xC0\x80"), U"\uFFFD\uFFFD");            // overlong NUL
  EXPECT_EQ(encode(decode("한국어 😀")), "한국어 😀");
}

TEST(TokenizerUnicode, LowerCasesEachCharacterWithoutContext) {
  EXPECT_EQ(encode(unicode::lowerEach(U"ΟΔΟΣ")), "οδοσ");  // no final sigma: one character at a time
  EXPECT_EQ(unicode::lowerEach(U"\u0130"), U"i\u0307");      // İ: full mapping, two characters
  EXPECT_EQ(unicode::lowerEach(U"ÅNGSTRÖM"), U"ångström");
  EXPECT_EQ(unicode::lowerEach(U"한국어"), U"한국어");
}

TEST(TokenizerUnicode, StripsNonspacingMarksAfterNfd) {
  EXPECT_EQ(unicode::stripNonspacingMarks(U"Café Ångström"), U"Cafe Angstrom");
  EXPECT_EQ(unicode::stripNonspacingMarks(U"\u0915\u093F"), U"\u0915\u093F");  // Devanagari vowel sign i is Mc
  EXPECT_EQ(unicode::normalize(U"\uFF21\uFF11", unicode::Form::NFKC), U"A1");
}

TEST(BasicTokenizer, CleansSpacesCjkAndSplitsPunctuation) {
  BasicTokenizerOptions cased;
  cased.lowerCase = false;
  const std::u32string controls = U"a\u0001b" + std::u32string(1, U'\0') + U"c\uFFFD d\te\u3000f";
  EXPECT_EQ(utf8(basicTokenize(controls, cased, {})),
            (std::vector<std::string>{"abc", "d", "e", "f"}));
  EXPECT_EQ(utf8(basicTokenize(U"한국漢字어", cased, {})), (std::vector<std::string>{"한국", "漢", "字", "어"}));
  EXPECT_EQ(utf8(basicTokenize(U"Hi!! (you)", cased, {})),
            (std::vector<std::string>{"Hi", "!", "!", "(", "you", ")"}));
  EXPECT_EQ(utf8(basicTokenize(U"Cafe\u0301", cased, {})), (std::vector<std::string>{"Café"}));  // NFC
  EXPECT_EQ(utf8(basicTokenize(U"[X] a.b", cased, {U"[X]"})), (std::vector<std::string>{"[X]", "a", ".", "b"}));
  EXPECT_EQ(utf8(basicTokenize(U"a\u2028b", cased, {})), (std::vector<std::string>{"a", "b"}));  // str.split()
}

TEST(BasicTokenizer, LowerCasesAndStripsAccentsAsConfigured) {
  BasicTokenizerOptions lower;
  EXPECT_EQ(utf8(basicTokenize(U"Café ÅNG", lower, {})), (std::vector<std::string>{"cafe", "ang"}));
  lower.stripAccents = false;
  EXPECT_EQ(utf8(basicTokenize(U"Café", lower, {})), (std::vector<std::string>{"café"}));
  BasicTokenizerOptions stripOnly;
  stripOnly.lowerCase = false;
  stripOnly.stripAccents = true;
  EXPECT_EQ(utf8(basicTokenize(U"Café", stripOnly, {})), (std::vector<std::string>{"Cafe"}));
  EXPECT_TRUE(basicTokenize(U"\u0301", BasicTokenizerOptions{}, {}).empty());  // a lone mark strips to nothing
}

TEST(WordPiece, MatchesTheLongestPieceFirst) {
  WordPieceModel model;
  model.vocab = {{"[UNK]", 0}, {"un", 1}, {"##aff", 2}, {"##able", 3}, {"una", 4}, {"##ffable", 5}};
  std::vector<std::int64_t> ids;
  model.tokenize(U"unaffable", ids);
  EXPECT_EQ(ids, (std::vector<std::int64_t>{4, 5}));  // "una" before "un"
  ids.clear();
  model.tokenize(U"unx", ids);
  EXPECT_EQ(ids, (std::vector<std::int64_t>{0}));  // one unmatched part: the whole word is unknown
  ids.clear();
  model.maxCharacters = 3;
  model.tokenize(U"unaf", ids);
  EXPECT_EQ(ids, (std::vector<std::int64_t>{0}));
}

TEST(Unigram, ChoosesTheBestScoringSegmentationAndFusesUnknowns) {
  UnigramModel model({{U"<unk>", 0.0}, {U"a", -1.0}, {U"b", -2.0}, {U"ab", -2.5}, {U"c", -1.0}}, 0, true);
  std::vector<std::int64_t> ids;
  model.tokenize(U"abc", ids);
  EXPECT_EQ(ids, (std::vector<std::int64_t>{3, 4}));  // ab (-2.5) beats a b (-3)
  ids.clear();
  model.tokenize(U"xyab", ids);
  EXPECT_EQ(ids, (std::vector<std::int64_t>{0, 3}));  // x y fused into one unknown
  UnigramModel unfused({{U"<unk>", 0.0}, {U"a", -1.0}}, 0, false);
  ids.clear();
  unfused.tokenize(U"xya", ids);
  EXPECT_EQ(ids, (std::vector<std::int64_t>{0, 0, 1}));
  UnigramModel noUnk({{U"a", -1.0}}, -1, true);
  EXPECT_THROW(noUnk.tokenize(U"b", ids), PretrainedError);
}

TEST(Unigram, ATieKeepsThePieceThatStartsEarliest) {
  UnigramModel model({{U"<unk>", 0.0}, {U"a", -1.0}, {U"b", -1.0}, {U"ab", -2.0}}, 0, true);
  std::vector<std::int64_t> ids;
  model.tokenize(U"ab", ids);
  EXPECT_EQ(ids, (std::vector<std::int64_t>{3}));
}

TEST(Truncation, SlowRemovesFromTheLongerAndTheSecondOnATie) {
  std::vector<std::int64_t> a(10, 1), b(10, 2);
  truncateOneAtATime(a, &b, 7);
  EXPECT_EQ(a.size(), 4u);
  EXPECT_EQ(b.size(), 3u);
  std::vector<std::int64_t> shortA(2, 1), longB(10, 2);
  truncateOneAtATime(shortA, &longB, 7);
  EXPECT_EQ(shortA.size(), 2u);
  EXPECT_EQ(longB.size(), 5u);
}

TEST(Truncation, TokenizersGivesTheShorterItsLengthAndSplitsTheRest) {
  std::vector<std::int64_t> a(10, 1), b(10, 2);
  truncateSplitBudget(a, &b, 7);
  EXPECT_EQ(a.size(), 3u);
  EXPECT_EQ(b.size(), 4u);
  std::vector<std::int64_t> longA(10, 1), shortB(2, 2);
  truncateSplitBudget(longA, &shortB, 7);
  EXPECT_EQ(longA.size(), 5u);
  EXPECT_EQ(shortB.size(), 2u);
  std::vector<std::int64_t> single(10, 1);
  truncateSplitBudget(single, nullptr, 3);
  EXPECT_EQ(single.size(), 3u);
}

TEST(AddedTokens, SplitLeftmostLongestAndStripAsDeclared) {
  AddedToken mask{U"<mask>", 9, true, false, false};
  AddedToken s{U"<s>", 0, false, false, false};
  AddedToken longer{U"<s>x", 5, false, true, false};
  const auto segments = splitAddedTokens(U"a <mask> b<s>x  c<s>", {&mask, &s, &longer});
  ASSERT_EQ(segments.size(), 6u);
  EXPECT_EQ(segments[0].text, U"a");  // <mask> takes the space before it
  EXPECT_EQ(segments[1].token, &mask);
  EXPECT_EQ(segments[2].text, U" b");
  EXPECT_EQ(segments[3].token, &longer);
  EXPECT_EQ(segments[4].text, U"c");  // <s>x takes the spaces after it
  EXPECT_EQ(segments[5].token, &s);
  EXPECT_TRUE(segments[0].atTextStart);
  EXPECT_FALSE(segments[2].atTextStart);
}

std::u32string normalized(const std::string& json, const std::u32string& text) {
  return parseNormalizer(nlohmann::json::parse(json), {"tokenizer.json", "normalizer"})->apply(text);
}

std::vector<std::string> preTokenized(const std::string& json, const std::u32string& text) {
  std::vector<std::string> out;
  for (const auto& w : parsePreTokenizer(nlohmann::json::parse(json), {"tokenizer.json", "pre_tokenizer"})
                           ->apply({{text, true}}))
    out.push_back(encode(w.text));
  return out;
}

TEST(TokenizerJsonParts, Normalizers) {
  EXPECT_EQ(normalized(R"({"type": "BertNormalizer", "lowercase": true})", U"Ca\u0001fé\u2028漢"), U"cafe  漢 ");
  EXPECT_EQ(normalized(R"({"type": "BertNormalizer", "lowercase": false, "strip_accents": null})", U"Café"), U"Café");
  // StripAccents drops every mark (Mc too) and does not decompose: NFD goes before it.
  EXPECT_EQ(normalized(R"({"type": "StripAccents"})", U"Caf\u00E9 \u0915\u093F"), U"Caf\u00E9 \u0915");
  EXPECT_EQ(normalized(R"({"type": "Sequence", "normalizers": [{"type": "NFD"}, {"type": "StripAccents"},
                        {"type": "Lowercase"}]})", U"ÉTÉ"), U"ete");
  EXPECT_EQ(normalized(R"({"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": "$1\\"})", U"a   b c"),
            U"a$1\\b c");
  EXPECT_EQ(normalized(R"({"type": "Replace", "pattern": {"String": "``"}, "content": "\""})", U"``x``"), U"\"x\"");
  EXPECT_EQ(normalized(R"({"type": "Strip", "strip_left": true, "strip_right": false})", U" \u3000a "), U"a ");
}

TEST(TokenizerJsonParts, PreTokenizers) {
  EXPECT_EQ(preTokenized(R"({"type": "BertPreTokenizer"})", U"Hi, you\u3000there!"),
            (std::vector<std::string>{"Hi", ",", "you", "there", "!"}));
  EXPECT_EQ(preTokenized(R"({"type": "Whitespace"})", U"Hello, world!! é2_x"),
            (std::vector<std::string>{"Hello", ",", "world", "!!", "é2_x"}));
  EXPECT_EQ(preTokenized(R"({"type": "WhitespaceSplit"})", U" a\tb,c "), (std::vector<std::string>{"a", "b,c"}));
  EXPECT_EQ(preTokenized(R"({"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always"})", U"a  b"),
            (std::vector<std::string>{"▁a", "▁", "▁b"}));
  EXPECT_EQ(preTokenized(R"({"type": "Metaspace", "add_prefix_space": false, "split": false})", U"a b"),
            (std::vector<std::string>{"a▁b"}));
  EXPECT_EQ(preTokenized(R"({"type": "Sequence", "pretokenizers": [{"type": "WhitespaceSplit"},
                           {"type": "Metaspace", "prepend_scheme": "first"}]})", U"a b"),
            (std::vector<std::string>{"▁a", "b"}));
}

TEST(TokenizerJsonParts, RefusesUnknownTypesByPlace) {
  try {
    parseNormalizer(nlohmann::json::parse(R"({"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "Nmt"}]})"),
                    {"/m/tokenizer.json", "normalizer"});
    FAIL();
  } catch (const PretrainedError& e) {
    EXPECT_STREQ(e.what(), "/m/tokenizer.json: normalizer.normalizers[1]: normalizer type 'Nmt' is not supported "
                           "(BertNormalizer, NFC, NFD, NFKC, NFKD, Lowercase, StripAccents, Replace, Strip, Sequence)");
  }
  EXPECT_THROW(parsePreTokenizer(nlohmann::json::parse(R"({"type": "Split"})"), {"t", "pre_tokenizer"}), PretrainedError);
  EXPECT_THROW(parsePreTokenizer(nlohmann::json::parse(R"([1])"), {"t", "pre_tokenizer"}), PretrainedError);
}

TEST(TokenizerJson, BertProcessingAndNoPostProcessor) {
  const std::string base = R"({"model": {"type": "WordPiece", "unk_token": "[UNK]",
      "vocab": {"[UNK]": 0, "[CLS]": 1, "[SEP]": 2, "[PAD]": 3, "a": 4, "##b": 5}},
      "pre_tokenizer": {"type": "WhitespaceSplit"})";
  const auto bert = parseTokenizerJson(base + R"(, "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 2],
      "cls": ["[CLS]", 1]}})", "t");
  const auto pair = bert->encodePair("ab a", "a");
  EXPECT_EQ(pair.ids, (std::vector<std::int64_t>{1, 4, 5, 4, 2, 4, 2}));
  EXPECT_EQ(pair.typeIds, (std::vector<std::int64_t>{0, 0, 0, 0, 0, 1, 1}));
  EXPECT_EQ(bert->padId(), 3);
  const auto bare = parseTokenizerJson(base + "}", "t");
  EXPECT_EQ(bare->encodePair("ab", "x").ids, (std::vector<std::int64_t>{4, 5, 0}));
  EXPECT_EQ(bare->encodePair("ab", "x").typeIds, (std::vector<std::int64_t>{0, 0, 1}));
}

}  // namespace
}  // namespace foldbench::pretrained::tokenizer
