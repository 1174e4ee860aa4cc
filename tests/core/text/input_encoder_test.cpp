#include <gtest/gtest.h>

#include <algorithm>

#include "foldbench/text/input_encoder.h"
#include "foldbench/text/special_tokens.h"
#include "foldbench/text/utf8.h"
#include "sample_tokenizer.h"

namespace foldbench::text {
namespace {

data::Example example() {
  data::Example ex;
  ex.id = "x";
  ex.sentence = "서울에 사는 김민수는 한빛전자에 다닌다.";
  ex.subject = {"김민수", 7, 9, "PER"};
  ex.object = {"한빛전자", 12, 15, "ORG"};
  ex.label = "인물:소속단체";
  return ex;
}

EncodedExample encode(const data::Example& ex, InputFormat format, int maxLen = 128) {
  return InputEncoder(testing::sampleTokenizer(), {format, maxLen}).encode(ex);
}

std::string text(const std::vector<std::int32_t>& ids, std::size_t from, std::size_t to) {
  std::string s;
  for (std::size_t i = from; i < to; ++i) s += testing::sampleTokenizer().piece(ids[i]);
  return s;
}

std::size_t indexOf(const std::vector<std::int32_t>& ids, int id) {
  return static_cast<std::size_t>(std::find(ids.begin(), ids.end(), id) - ids.begin());
}

TEST(InputEncoder, EntityMarkersWrapBothEntities) {
  const auto e = encode(example(), InputFormat::EntityMarkers);
  ASSERT_EQ(e.ids.front(), kCls);
  ASSERT_EQ(e.ids.back(), kSep);
  const auto s0 = indexOf(e.ids, kSubjectOpen), s1 = indexOf(e.ids, kSubjectClose);
  const auto o0 = indexOf(e.ids, kObjectOpen), o1 = indexOf(e.ids, kObjectClose);
  ASSERT_LT(s1, e.ids.size());
  ASSERT_LT(o1, e.ids.size());
  EXPECT_LT(s0, s1);
  EXPECT_LT(s1, o0);
  EXPECT_EQ(e.subjectPos, static_cast<int>(s0));
  EXPECT_EQ(e.objectPos, static_cast<int>(o0));
  EXPECT_NE(text(e.ids, s0 + 1, s1).find("김민수"), std::string::npos);
  EXPECT_NE(text(e.ids, o0 + 1, o1).find("한빛전자"), std::string::npos);
  EXPECT_EQ(e.segments, std::vector<std::uint8_t>(e.ids.size(), 0));
  EXPECT_FALSE(e.truncated);
}

TEST(InputEncoder, TypedMarkersUseEntityTypesAndFallBackWithout) {
  auto ex = example();
  auto e = encode(ex, InputFormat::TypedMarkers);
  EXPECT_EQ(e.ids[static_cast<std::size_t>(e.subjectPos)], typedMarkerId(true, true, "PER"));
  EXPECT_EQ(e.ids[static_cast<std::size_t>(e.objectPos)], typedMarkerId(false, true, "ORG"));
  EXPECT_LT(indexOf(e.ids, typedMarkerId(false, false, "ORG")), e.ids.size());
  ex.subject.type.clear();
  e = encode(ex, InputFormat::TypedMarkers);
  EXPECT_EQ(e.ids[static_cast<std::size_t>(e.subjectPos)], kSubjectOpen);
}

TEST(InputEncoder, PairFormatPutsTheEntitiesFirst) {
  const auto e = encode(example(), InputFormat::EntityPair);
  EXPECT_EQ(e.subjectPos, 1);
  const auto firstSep = indexOf(e.ids, kSep);
  EXPECT_EQ(e.objectPos, static_cast<int>(firstSep) + 1);
  EXPECT_NE(text(e.ids, 1, firstSep).find("김민수"), std::string::npos);
  EXPECT_EQ(e.segments[firstSep], 0);
  EXPECT_EQ(e.segments.back(), 1);
  EXPECT_EQ(std::count(e.ids.begin(), e.ids.end(), kSep), 3);
}

TEST(InputEncoder, PunctMarkersUseNoNewTokens) {
  const auto e = encode(example(), InputFormat::PunctMarkers);
  for (std::size_t i = 1; i + 1 < e.ids.size(); ++i) EXPECT_GE(e.ids[i], specialTokenCount()) << "token " << i;
  const std::string all = text(e.ids, 0, e.ids.size());
  EXPECT_NE(all.find("*PER*"), std::string::npos);
  EXPECT_NE(all.find("^ORG^"), std::string::npos);
  EXPECT_LT(e.subjectPos, e.objectPos);
}

TEST(InputEncoder, OverlappingSpansStillGiveValidMarkers) {
  auto ex = example();
  ex.object = {"전자", 14, 15, ""};
  ex.subject = {"한빛전자", 12, 15, ""};
  const auto e = encode(ex, InputFormat::EntityMarkers);
  const auto s0 = indexOf(e.ids, kSubjectOpen), s1 = indexOf(e.ids, kSubjectClose);
  const auto o0 = indexOf(e.ids, kObjectOpen), o1 = indexOf(e.ids, kObjectClose);
  ASSERT_LT(std::max({s0, s1, o0, o1}), e.ids.size());
  EXPECT_LT(s0, o0);
  EXPECT_LT(o0, o1);
  EXPECT_LT(o1, s1) << "the inner span closes first";
}

data::Example longExample(int fillerBefore, int fillerBetween, int fillerAfter) {
  const std::string filler = "박영우는 장준영과 결혼하여 두 자녀를 두었다. ";
  const auto cps = [](const std::string& s) { return static_cast<int>(decodeUtf8(s).size()); };
  std::string before, between, after;
  for (int i = 0; i < fillerBefore; ++i) before += filler;
  for (int i = 0; i < fillerBetween; ++i) between += filler;
  for (int i = 0; i < fillerAfter; ++i) after += filler;
  data::Example ex;
  ex.id = "long";
  ex.sentence = before + "김민수" + between + "한빛전자" + after;
  const int subjectStart = cps(before), objectStart = cps(before + "김민수" + between);
  ex.subject = data::EntitySpan{"김민수", subjectStart, subjectStart + 2, ""};
  ex.object = data::EntitySpan{"한빛전자", objectStart, objectStart + 3, ""};
  return ex;
}

void expectBothEntitiesWhole(const EncodedExample& e, int maxLen) {
  EXPECT_LE(static_cast<int>(e.ids.size()), maxLen);
  EXPECT_TRUE(e.truncated);
  const auto s0 = indexOf(e.ids, kSubjectOpen), s1 = indexOf(e.ids, kSubjectClose);
  const auto o0 = indexOf(e.ids, kObjectOpen), o1 = indexOf(e.ids, kObjectClose);
  ASSERT_LT(std::max({s0, s1, o0, o1}), e.ids.size());
  EXPECT_NE(text(e.ids, s0 + 1, s1).find("김민수"), std::string::npos);
  EXPECT_NE(text(e.ids, o0 + 1, o1).find("한빛전자"), std::string::npos);
  EXPECT_EQ(e.subjectPos, static_cast<int>(s0));
  EXPECT_EQ(e.objectPos, static_cast<int>(o0));
}

TEST(InputEncoder, TruncationKeepsAWindowAroundEntitiesAtTheEnd) {
  const auto e = encode(longExample(12, 1, 0), InputFormat::EntityMarkers, 32);
  expectBothEntitiesWhole(e, 32);
  EXPECT_EQ(static_cast<int>(e.ids.size()), 32) << "the window is filled with context";
}

TEST(InputEncoder, TruncationCutsTheGapWhenEntitiesAreFarApart) {
  const auto e = encode(longExample(2, 12, 2), InputFormat::EntityMarkers, 24);
  expectBothEntitiesWhole(e, 24);
}

TEST(InputEncoder, TruncationInPairFormatKeepsEntitiesInTheSentence) {
  const auto e = encode(longExample(10, 1, 10), InputFormat::EntityPair, 40);
  EXPECT_LE(e.ids.size(), 40u);
  EXPECT_TRUE(e.truncated);
  const auto firstSep = indexOf(e.ids, kSep);
  const std::string sentence = text(e.ids, firstSep + 1, e.ids.size());
  EXPECT_NE(sentence.find("김민수"), std::string::npos);
  EXPECT_NE(sentence.find("한빛전자"), std::string::npos);
}

TEST(InputEncoder, PlainTextWithoutEntities) {
  data::Example ex;
  ex.sentence = "정말 좋은 영화였다";
  const auto e = encode(ex, InputFormat::EntityMarkers, 8);
  EXPECT_EQ(e.ids.front(), kCls);
  EXPECT_EQ(e.ids.back(), kSep);
  EXPECT_LE(e.ids.size(), 8u);
}

TEST(InputEncoder, FormatNamesRoundTrip) {
  for (const auto& name : inputFormatNames()) EXPECT_EQ(formatName(parseInputFormat(name)), name);
  EXPECT_THROW(parseInputFormat("brackets"), std::invalid_argument);
}

}  // namespace
}  // namespace foldbench::text
