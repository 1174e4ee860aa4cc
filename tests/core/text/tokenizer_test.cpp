#include <gtest/gtest.h>

#include <filesystem>

#include "foldbench/text/special_tokens.h"
#include "foldbench/text/tokenizer.h"
#include "sample_tokenizer.h"

namespace foldbench::text {
namespace {

TEST(Tokenizer, TrainsUnigramAndEncodesKorean) {
  const Tokenizer& tok = testing::sampleTokenizer();
  EXPECT_GT(tok.vocabSize(), specialTokenCount() + 100);
  const auto ids = tok.encode("김민수는 한빛전자에 다닌다.");
  ASSERT_FALSE(ids.empty());
  for (int id : ids) {
    EXPECT_GE(id, kUnk);
    EXPECT_LT(id, tok.vocabSize());
    EXPECT_NE(id, kPad);
  }
  std::string joined;
  for (int id : ids) joined += tok.piece(id);
  EXPECT_NE(joined.find("김"), std::string::npos);
  EXPECT_TRUE(tok.encode("").empty());
}

TEST(Tokenizer, LoadingTheSavedModelGivesTheSameIds) {
  const Tokenizer& trained = testing::sampleTokenizer();
  const Tokenizer loaded = Tokenizer::load(trained.modelPath());
  EXPECT_EQ(loaded.encode("박영우는 장준영과 결혼하여"), trained.encode("박영우는 장준영과 결혼하여"));
  EXPECT_EQ(loaded.fingerprint(), trained.fingerprint());
  EXPECT_EQ(loaded.vocabSize(), trained.vocabSize());
}

TEST(Tokenizer, TrainsBpeAndMapsUnknownCharactersToUnk) {
  testing::TempDir dir;
  TokenizerTrainOptions options;
  options.modelType = "bpe";
  options.vocabSize = 60;
  options.characterCoverage = 1.0;
  const Tokenizer tok = Tokenizer::train({"가나다 가나 다라", "가나다라 마바", "가다 나라 마바사"}, options, dir.file("bpe"));
  EXPECT_TRUE(std::filesystem::exists(dir.file("bpe.model")));
  const auto ids = tok.encode("가나 햏");
  EXPECT_NE(std::find(ids.begin(), ids.end(), kUnk), ids.end());
}

TEST(Tokenizer, ClearErrorsForBadInput) {
  testing::TempDir dir;
  EXPECT_THROW(Tokenizer::load(dir.file("missing.model")), std::runtime_error);
  try {
    Tokenizer::load(dir.write("junk.model", "not a model"));
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("junk.model"), std::string::npos);
  }
  TokenizerTrainOptions options;
  options.modelType = "wordpiece";
  EXPECT_THROW(Tokenizer::train({"가"}, options, dir.file("x")), std::invalid_argument);
}

TEST(SpecialTokens, HaveStableNamesAndTypedMarkers) {
  EXPECT_EQ(specialTokenName(kCls), "[CLS]");
  EXPECT_EQ(specialTokenName(kObjectClose), "[/E2]");
  const int id = typedMarkerId(true, true, "PER");
  ASSERT_GE(id, kFirstTypedMarker);
  EXPECT_EQ(specialTokenName(id), "[S:PER]");
  EXPECT_EQ(specialTokenName(typedMarkerId(false, false, "ORG")), "[/O:ORG]");
  EXPECT_EQ(typedMarkerId(true, true, "ANIMAL"), -1);
}

}  // namespace
}  // namespace foldbench::text
