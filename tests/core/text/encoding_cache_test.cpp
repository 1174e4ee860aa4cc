#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "foldbench/data/sample_generator.h"
#include "foldbench/text/encoding_cache.h"
#include "sample_tokenizer.h"

namespace foldbench::text {
namespace {

TEST(EncodingCache, SecondRunIsACacheHitWithIdenticalInputs) {
  testing::TempDir dir;
  const auto rows = data::generateSample().train.rows;
  const EncodingCache cache(dir.file("cache"));
  const InputEncoder encoder(testing::sampleTokenizer(), {InputFormat::EntityMarkers, 64});
  EncodeStats first, second;
  const auto a = encodeAll(rows, encoder, &cache, &first);
  const auto b = encodeAll(rows, encoder, &cache, &second);
  EXPECT_FALSE(first.cacheHit);
  EXPECT_TRUE(second.cacheHit);
  ASSERT_EQ(a.size(), rows.size());
  EXPECT_TRUE(a == b);
  EXPECT_TRUE(a == encodeAll(rows, encoder, nullptr));
}

TEST(EncodingCache, KeyDependsOnRowsFormatAndLength) {
  const auto rows = data::generateSample().train.rows;
  const auto fp = rowsFingerprint(rows);
  const auto tok = testing::sampleTokenizer().fingerprint();
  const auto base = encodingCacheKey(fp, tok, {InputFormat::EntityMarkers, 64});
  EXPECT_NE(base, encodingCacheKey(fp, tok, {InputFormat::TypedMarkers, 64}));
  EXPECT_NE(base, encodingCacheKey(fp, tok, {InputFormat::EntityMarkers, 128}));
  EXPECT_NE(base, encodingCacheKey(fp, tok + 1, {InputFormat::EntityMarkers, 64}));
  auto changed = rows;
  changed[5].subject.start += 1;
  EXPECT_NE(fp, rowsFingerprint(changed));
}

TEST(EncodingCache, DamagedEntriesAreIgnored) {
  testing::TempDir dir;
  const EncodingCache cache(dir.file("cache"));
  const InputEncoder encoder(testing::sampleTokenizer(), {InputFormat::EntityMarkers, 64});
  const auto rows = data::generateSample().train.rows;
  encodeAll(rows, encoder, &cache);
  const auto key = encodingCacheKey(rowsFingerprint(rows), encoder.tokenizerFingerprint(), encoder.options());
  std::filesystem::resize_file(cache.pathFor(key), 100);
  EXPECT_FALSE(cache.load(key).has_value());
  EncodeStats stats;
  EXPECT_EQ(encodeAll(rows, encoder, &cache, &stats).size(), rows.size());
  EXPECT_FALSE(stats.cacheHit);
}

}  // namespace
}  // namespace foldbench::text
