// Numbers the core reads and writes do not follow the process locale: under de_DE (decimal
// comma) configs, tokenizer arguments and number text stay as under "C".
#include <gtest/gtest.h>

#include <cstdio>

#include "foldbench/config/experiment_config.h"
#include "foldbench/config/field_spec.h"
#include "foldbench/text/tokenizer.h"
#include "foldbench/util/numbers.h"
#include "sample_config.h"
#include "scoped_locale.h"
#include "temp_dir.h"

namespace foldbench {
namespace {

TEST(CommaLocale, IsReallyActiveInTheseTests) {
  testing::ScopedLocale german(testing::kCommaLocale);
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", 0.5);
  EXPECT_STREQ(text, "0,5") << "the hazard the core must not fall into";
}

TEST(CommaLocale, ConfigJsonRoundTrips) {
  auto c = config::preset("sample");
  c.train.learningRate = 3.5e-4;
  c.tokenizer.characterCoverage = 0.9995;
  c.kfold.oversampleMinFraction = 0.25;
  const std::string plain = config::toJson(c);
  testing::ScopedLocale german(testing::kCommaLocale);
  const std::string json = config::toJson(c);
  EXPECT_EQ(json, plain);
  EXPECT_NE(json.find("0.9995"), std::string::npos);
  const auto back = config::fromJson(json);
  EXPECT_DOUBLE_EQ(back.train.learningRate, 3.5e-4);
  EXPECT_DOUBLE_EQ(back.tokenizer.characterCoverage, 0.9995);
  EXPECT_DOUBLE_EQ(back.kfold.oversampleMinFraction, 0.25);
  const auto lr = config::findField("train.lr");
  ASSERT_NE(lr, nullptr);
  EXPECT_EQ(lr->range(), "1e-08..10");
  EXPECT_EQ(config::formatValue(config::getField(back, "tokenizer.character_coverage")), "0.9995");
}

TEST(CommaLocale, NumberTextIsLocaleIndependent) {
  testing::ScopedLocale german(testing::kCommaLocale);
  EXPECT_EQ(util::parseDouble("0.65"), 0.65);
  EXPECT_FALSE(util::parseDouble("0,65").has_value());
  EXPECT_EQ(util::formatDouble(0.25), "0.25");
  EXPECT_EQ(util::formatFixed(1.5, 2), "1.50");
}

TEST(CommaLocale, TokenizerTrainsWithAFractionalCoverage) {
  // The coverage travels to the trainer as text; "0,999500" would not parse there.
  testing::TempDir dir;
  testing::ScopedLocale german(testing::kCommaLocale);
  std::vector<std::string> sentences;
  for (int i = 0; i < 200; ++i) sentences.push_back("문장 번호 " + std::to_string(i) + " 에서 관계를 찾는다 " + std::to_string(i * 7));
  text::TokenizerTrainOptions options;
  options.vocabSize = 120;
  options.characterCoverage = 0.9995;
  const auto tokenizer = text::Tokenizer::train(sentences, options, dir.file("spm"));
  EXPECT_GT(tokenizer.vocabSize(), 50);
}

}  // namespace
}  // namespace foldbench
