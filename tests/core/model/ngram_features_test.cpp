// Hashed n-gram features of the n-gram family, and the Hangul jamo decomposition they may add.
#include "foldbench/model/ngram_features.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "foldbench/text/utf8.h"

namespace foldbench::model {
namespace {

data::Example example() {
  data::Example e;
  e.sentence = "영화감독인 윤영수는 새 작품을 준비 중이다.";
  e.subject = {"윤영수", 6, 8, ""};
  e.object = {"영화감독", 0, 3, ""};
  return e;
}

TEST(NgramFeatures, HangulSyllablesSplitIntoTheirJamo) {
  // 한 = ㅎ + ㅏ + ㄴ (three jamo), 가 = ㄱ + ㅏ (no final consonant); other text is left alone.
  EXPECT_EQ(model::decomposeHangul(U"한가 A1."), std::u32string({0x1112, 0x1161, 0x11AB, 0x1100, 0x1161, U' ', U'A', U'1', U'.'}));
  // The first and the last syllable of the block.
  EXPECT_EQ(model::decomposeHangul(U"가"), std::u32string({0x1100, 0x1161}));
  EXPECT_EQ(model::decomposeHangul(U"힣"), std::u32string({0x1112, 0x1175, 0x11C2}));
  // Particles that differ only by the final consonant share their jamo prefix: 은 / 는 share ㅡ ㄴ.
  const auto eun = model::decomposeHangul(U"은"), neun = model::decomposeHangul(U"는");
  EXPECT_EQ(eun.substr(1), neun.substr(1));
}

TEST(NgramFeatures, JamoGramsAddFeaturesAndLeaveTheOthersAlone) {
  NgramOptions plain;
  NgramOptions jamo = plain;
  jamo.jamoNgramMax = 3;
  const auto a = ngramFeatures(example(), plain), b = ngramFeatures(example(), jamo);
  for (int p = 0; p < kNgramParts; ++p) {
    const auto& without = a.ids[static_cast<std::size_t>(p)];
    const auto& with = b.ids[static_cast<std::size_t>(p)];
    EXPECT_GT(with.size(), without.size()) << "part " << p;
    // The syllable and word grams are the same buckets, in the same order, first; the part's
    // own markers (AFTER= for the entities, ORDER= and GAP= between them) come last in both.
    const std::size_t markers = p < 2 ? 1 : p == 2 ? 2 : 0;
    EXPECT_TRUE(std::equal(without.begin(), without.end() - static_cast<std::ptrdiff_t>(markers), with.begin())) << "part " << p;
    EXPECT_TRUE(std::equal(without.end() - static_cast<std::ptrdiff_t>(markers), without.end(),
                           with.end() - static_cast<std::ptrdiff_t>(markers))) << "part " << p;
    for (auto id : with) {
      EXPECT_GE(id, 1);
      EXPECT_LT(id, std::int64_t{1} << plain.bucketsLog2);
    }
  }
  // Deterministic.
  EXPECT_EQ(ngramFeatures(example(), jamo).ids, b.ids);
}

}  // namespace
}  // namespace foldbench::model
