// sentencepiece and LibTorch in one process (docs/PLATFORM-FACTS.md): they clash unless sentencepiece
// stays behind the plugin. This test keeps that from coming back: real Korean text is
// tokenized, and the ids go through a small model in the same process.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "foldbench/text/input_encoder.h"
#include "sample_tokenizer.h"

namespace foldbench {
namespace {

TEST(TokenizerWithTorch, KoreanTextIsTokenizedAndRunThroughAModelInOneProcess) {
  const auto& tokenizer = testing::sampleTokenizer();
  data::Example ex;
  ex.sentence = "김민수는 한빛전자에 다닌다.";
  ex.subject = {"김민수", 0, 2, ""};
  ex.object = {"한빛전자", 5, 8, ""};
  const auto encoded = text::InputEncoder(tokenizer, {}).encode(ex);
  ASSERT_GE(encoded.ids.size(), 6u);  // pieces of 16 characters, plus markers
  for (int id : encoded.ids) {
    EXPECT_GE(id, 0);
    EXPECT_LT(id, tokenizer.vocabSize());
  }
  // Different sentences give different ids: the tokenizer really ran.
  data::Example other = ex;
  other.sentence = "박서연은 다온축구단의 선수이다.";
  other.subject = {"박서연", 0, 2, ""};
  other.object = {"다온축구단", 5, 9, ""};
  EXPECT_NE(text::InputEncoder(tokenizer, {}).encode(other).ids, encoded.ids);

  torch::manual_seed(3);
  const auto ids = torch::tensor(std::vector<std::int64_t>(encoded.ids.begin(), encoded.ids.end()));
  auto embedding = torch::nn::Embedding(tokenizer.vocabSize(), 8);
  auto linear = torch::nn::Linear(8, 3);
  const auto logits = linear->forward(embedding->forward(ids).mean(0));
  // The same forward pass by hand, row by row.
  const auto weights = embedding->weight.detach();
  std::vector<double> mean(8, 0.0);
  for (int id : encoded.ids)
    for (int d = 0; d < 8; ++d) mean[static_cast<std::size_t>(d)] += weights[id][d].item<float>() / encoded.ids.size();
  for (int k = 0; k < 3; ++k) {
    double expected = linear->bias[k].item<float>();
    for (int d = 0; d < 8; ++d) expected += linear->weight[k][d].item<float>() * mean[static_cast<std::size_t>(d)];
    EXPECT_NEAR(logits[k].item<float>(), expected, 1e-5);
  }
}

}  // namespace
}  // namespace foldbench
