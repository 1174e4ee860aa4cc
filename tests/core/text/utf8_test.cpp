#include <gtest/gtest.h>

#include "foldbench/text/utf8.h"

namespace foldbench::text {
namespace {

TEST(Utf8, RoundTripsKoreanAndCountsCodePoints) {
  const std::string s = "김민수는 A사에 😀";
  EXPECT_EQ(findInvalidUtf8(s), std::string::npos);
  const auto decoded = decodeUtf8(s);
  EXPECT_EQ(decoded.size(), 10u);
  EXPECT_EQ(decoded[0], U'김');
  EXPECT_EQ(decoded.back(), U'\U0001F600');
  EXPECT_EQ(encodeUtf8(decoded), s);
  EXPECT_EQ(codePointCount(s), 10u);
  const auto offsets = codePointByteOffsets(s);
  ASSERT_EQ(offsets.size(), 11u);
  EXPECT_EQ(offsets[1], 3u);
  EXPECT_EQ(offsets.back(), s.size());
}

TEST(Utf8, FindsInvalidSequences) {
  EXPECT_EQ(findInvalidUtf8("ab\xC3\x28"), 2u);          // bad continuation
  EXPECT_EQ(findInvalidUtf8("\xC0\xAF"), 0u);            // overlong
  EXPECT_EQ(findInvalidUtf8("x\xED\xA0\x80"), 1u);       // UTF-16 surrogate
  EXPECT_EQ(findInvalidUtf8("\xEA\xB9"), 0u);            // truncated
  EXPECT_EQ(findInvalidUtf8("\xF4\x90\x80\x80"), 0u);    // above U+10FFFF
  EXPECT_EQ(findInvalidUtf8("\xFF"), 0u);
}

}  // namespace
}  // namespace foldbench::text
