#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "foldbench/model/ngram_features.h"
#include "foldbench/text/utf8.h"

namespace foldbench::model {
namespace {

// Offsets are code points, end inclusive, as in the competition files.
data::Example relation(const std::string& sentence, const std::string& subject, const std::string& object) {
  data::Example ex;
  ex.sentence = sentence;
  const std::u32string s = text::decodeUtf8(sentence);
  const auto span = [&](const std::string& mention) {
    data::EntitySpan e;
    e.text = mention;
    e.start = static_cast<int>(s.find(text::decodeUtf8(mention)));
    e.end = e.start + static_cast<int>(text::decodeUtf8(mention).size()) - 1;
    return e;
  };
  ex.subject = span(subject);
  ex.object = span(object);
  return ex;
}

std::set<std::int64_t> contextOf(const data::Example& ex) {
  NgramOptions o;
  o.context = true;
  const auto f = ngramFeatures(ex, o);
  return {f.ids[kContextPart].begin(), f.ids[kContextPart].end()};
}

std::size_t shared(const std::set<std::int64_t>& a, const std::set<std::int64_t>& b) {
  std::vector<std::int64_t> common;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
  return common.size();
}

TEST(NgramFeatures, TheContextPartIsThereOnlyWhenAsked) {
  const auto ex = relation("철수는 영희의 아버지이다.", "철수", "영희");
  NgramOptions o;
  EXPECT_EQ(ngramFeatures(ex, o).ids.size(), 4u);
  o.context = true;
  const auto f = ngramFeatures(ex, o);
  ASSERT_EQ(f.ids.size(), 5u);
  EXPECT_FALSE(f.ids[kContextPart].empty());
  // The other parts do not change when the context part is added.
  EXPECT_EQ(f.ids[kSentencePart], ngramFeatures(ex, NgramOptions{}).ids[kSentencePart]);
}

TEST(NgramFeatures, TheContextIsTheSamePatternWhoeverTheEntitiesAre) {
  const auto a = contextOf(relation("철수는 영희의 아버지이다.", "철수", "영희"));
  const auto b = contextOf(relation("민수는 지영의 아버지이다.", "민수", "지영"));
  // Everything but the pair of mentions itself is shared.
  EXPECT_EQ(shared(a, b), a.size() - 1);
  EXPECT_EQ(a.size(), b.size());
  // Whereas the sentence part shares far less: the names are in its n-grams.
  NgramOptions o;
  const auto sa = ngramFeatures(relation("철수는 영희의 아버지이다.", "철수", "영희"), o).ids[kSentencePart];
  const auto sb = ngramFeatures(relation("민수는 지영의 아버지이다.", "민수", "지영"), o).ids[kSentencePart];
  const std::set<std::int64_t> setA(sa.begin(), sa.end()), setB(sb.begin(), sb.end());
  EXPECT_LT(static_cast<double>(shared(setA, setB)), 0.8 * static_cast<double>(setA.size()));
}

TEST(NgramFeatures, TheContextTellsSubjectFromObject) {
  const auto forward = contextOf(relation("철수는 영희의 아버지이다.", "철수", "영희"));
  const auto reversed = contextOf(relation("철수는 영희의 아버지이다.", "영희", "철수"));
  // Patterns touching a mention differ once the roles swap; only grams with both marks in
  // swapped roles could coincide, and none of them does.
  EXPECT_EQ(shared(forward, reversed), 0u);
}

TEST(NgramFeatures, OverlappingAndEdgeMentionsStayInTheSentence) {
  // The object inside the subject, a mention at the very end, and offsets past the end.
  auto nested = relation("서울대학교 병원", "서울대학교 병원", "서울대학교");
  EXPECT_FALSE(contextOf(nested).empty());
  auto last = relation("그는 서울", "그", "서울");
  EXPECT_FALSE(contextOf(last).empty());
  last.object.end = 40;
  last.object.start = 38;
  EXPECT_FALSE(contextOf(last).empty());
  data::Example plain;
  plain.sentence = "관계 없는 문장";
  EXPECT_EQ(contextOf(plain).size(), 1u);
}

}  // namespace
}  // namespace foldbench::model
