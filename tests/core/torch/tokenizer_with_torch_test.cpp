// sentencepiece and LibTorch in one process (PLATFORM.md): they clash unless sentencepiece
// stays behind the plugin. This test keeps that from coming back.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "foldbench/text/input_encoder.h"
#include "sample_tokenizer.h"

namespace foldbench {
namespace {

TEST(TokenizerWithTorch, TokenizeAndRunATorchOpInOneProcess) {
  const torch::Tensor before = torch::ones({2, 3}).matmul(torch::ones({3, 2}));
  const auto& tokenizer = testing::sampleTokenizer();
  data::Example ex;
  ex.sentence = "김민수는 한빛전자에 다닌다.";
  ex.subject = {"김민수", 0, 2, ""};
  ex.object = {"한빛전자", 5, 8, ""};
  const auto encoded = text::InputEncoder(tokenizer, {}).encode(ex);
  const auto ids = torch::tensor(std::vector<std::int64_t>(encoded.ids.begin(), encoded.ids.end()));
  auto embedding = torch::nn::Embedding(tokenizer.vocabSize(), 8);
  const auto out = embedding->forward(ids).sum();
  EXPECT_EQ(before[0][0].item<float>(), 3.0f);
  EXPECT_TRUE(std::isfinite(out.item<float>()));
  EXPECT_EQ(ids.size(0), static_cast<long>(encoded.ids.size()));
}

}  // namespace
}  // namespace foldbench
