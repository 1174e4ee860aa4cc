#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

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

TEST(Tokenizer, TrainsIntoAFolderWithSpacesInItsName) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.file("my runs/run 1"));
  TokenizerTrainOptions options;
  options.modelType = "bpe";
  options.vocabSize = 60;
  options.characterCoverage = 1.0;
  const Tokenizer tok =
      Tokenizer::train({"가나다 가나 다라", "가나다라 마바", "가다 나라 마바사"}, options, dir.file("my runs/run 1/tok"));
  EXPECT_TRUE(std::filesystem::exists(dir.file("my runs/run 1/tok.model")));
  EXPECT_FALSE(tok.encode("가나다").empty());
}

TEST(Tokenizer, TrainingCanBeCancelled) {
  testing::TempDir dir;
  std::vector<std::string> sentences;
  for (int i = 0; i < 200000; ++i)
    sentences.push_back("문장 " + std::to_string(i) + " 가나다라마바사 " + std::to_string(i * 7919 % 100003) + " 아자차카타파하");
  std::atomic<bool> cancel{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    cancel.store(true);
  });
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(Tokenizer::train(sentences, {}, dir.file("big"), &cancel), TokenizerTrainingCancelled);
  stopper.join();
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 20.0);
  EXPECT_FALSE(std::filesystem::exists(dir.file("big.model")));
  EXPECT_FALSE(std::filesystem::exists(dir.file("big.corpus.txt")));
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
