// The LibTorch encoder against the reference forward of scripts/pretrained_fixtures/make_models.py:
// every layer's hidden states within 5e-5 (Hugging Face's own conversion tolerance), for each model
// type and storage variant the fixtures hold.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "foldbench/pretrained/encoder_runner.h"
#include "foldbench/pretrained/safetensors.h"
#include "pretrained_encoder.h"

namespace fs = std::filesystem;
using namespace foldbench::pretrained;

namespace {

const fs::path kModels = fs::path(FOLDBENCH_SOURCE_DIR) / "tests/fixtures/pretrained/models";
constexpr double kTolerance = 5e-5;

torch::Tensor referenceTensor(const SafetensorsFile& file, const std::string& name) {
  const auto& entry = file.entry(name);
  std::vector<std::int64_t> shape(entry.shape.begin(), entry.shape.end());
  if (entry.dtype == Dtype::I64)
    return torch::from_blob(const_cast<std::uint8_t*>(file.data(name)), shape, torch::kLong).clone();
  auto values = file.toFloat(name);
  return torch::from_blob(values.data(), shape, torch::kFloat).clone();
}

double largestDifference(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>();
}

class EncoderForward : public ::testing::TestWithParam<std::string> {};

TEST_P(EncoderForward, EveryLayerMatchesTheReferenceWithin5e5) {
  const auto folder = openModelFolder((kModels / GetParam()).string());
  auto encoder = loadPretrainedEncoder(folder);
  const auto reference = SafetensorsFile::open((kModels / GetParam() / "reference.safetensors").string());
  const auto ids = referenceTensor(reference, "input_ids");
  torch::NoGradGuard noGrad;
  const auto output = encoder->forward(ids, referenceTensor(reference, "token_type_ids"),
                                       referenceTensor(reference, "attention_mask"), /*allLayers=*/true);
  ASSERT_EQ(output.hiddenStates.size(), static_cast<std::size_t>(folder.config.numHiddenLayers + 1));
  for (std::size_t layer = 0; layer < output.hiddenStates.size(); ++layer) {
    const auto expected = referenceTensor(reference, "hidden_states." + std::to_string(layer));
    ASSERT_EQ(output.hiddenStates[layer].sizes(), expected.sizes()) << "layer " << layer;
    EXPECT_LT(largestDifference(output.hiddenStates[layer], expected), kTolerance) << "layer " << layer;
  }
  ASSERT_EQ(output.pooled.defined(), reference.contains("pooler_output"));
  if (output.pooled.defined())
    EXPECT_LT(largestDifference(output.pooled, referenceTensor(reference, "pooler_output")), kTolerance);
}

// The runner pads each batch to its own longest text; the first token's final state must not move.
TEST_P(EncoderForward, TheRunnersFirstTokenStatesMatchTheReference) {
  const EncoderRunner runner((kModels / GetParam()).string(), 1);
  const auto reference = SafetensorsFile::open((kModels / GetParam() / "reference.safetensors").string());
  const auto ids = referenceTensor(reference, "input_ids");
  const auto types = referenceTensor(reference, "token_type_ids");
  const auto mask = referenceTensor(reference, "attention_mask");
  std::vector<EncoderInput> texts;
  for (std::int64_t row = 0; row < ids.size(0); ++row) {
    const auto length = mask[row].sum().item<std::int64_t>();
    EncoderInput text;
    for (std::int64_t t = 0; t < length; ++t) {
      text.ids.push_back(ids[row][t].item<std::int64_t>());
      text.typeIds.push_back(types[row][t].item<std::int64_t>());
    }
    texts.push_back(text);
  }
  std::size_t reported = 0;
  const auto states = runner.firstTokenStates(texts, 5, [&](std::size_t done) { reported = done; });
  EXPECT_EQ(reported, texts.size());
  const auto last = referenceTensor(reference, "hidden_states." + std::to_string(runner.folder().config.numHiddenLayers));
  ASSERT_EQ(states.size(), texts.size());
  for (std::size_t row = 0; row < states.size(); ++row) {
    ASSERT_EQ(states[row].size(), static_cast<std::size_t>(runner.folder().config.hiddenSize));
    for (std::size_t d = 0; d < states[row].size(); ++d)
      ASSERT_NEAR(states[row][d], last[static_cast<std::int64_t>(row)][0][static_cast<std::int64_t>(d)].item<float>(),
                  kTolerance)
          << "text " << row << ", dimension " << d;
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, EncoderForward,
                         ::testing::Values("bert-wordpiece", "klue-roberta-wordpiece", "xlm-roberta-spm",
                                           "electra-wordpiece"),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (auto& c : name)
                             if (c == '-') c = '_';
                           return name;
                         });

TEST(EncoderForwardChecks, RobertaPositionsStartAfterThePadAndSkipPads) {
  const auto folder = openModelFolder((kModels / "klue-roberta-wordpiece").string());
  PretrainedEncoder encoder(folder.config, false);
  const std::int64_t pad = folder.config.padTokenId.value();
  const std::int64_t a = 7, b = 8, c = 9;
  const auto ids = torch::tensor({{a, b, c, pad}, {a, pad, b, pad}}, torch::kLong);
  const auto positions = encoder->positionIds(ids);
  const auto expected = torch::tensor({{pad + 1, pad + 2, pad + 3, pad}, {pad + 1, pad, pad + 2, pad}}, torch::kLong);
  EXPECT_TRUE(torch::equal(positions, expected)) << positions;
}

TEST(EncoderForwardChecks, TheRunnerRefusesIdsOutsideTheVocabularyAndTooLongTexts) {
  const EncoderRunner runner((kModels / "bert-wordpiece").string(), 1);
  const auto vocab = runner.folder().config.vocabSize;
  try {
    runner.firstTokenStates({EncoderInput{{2, vocab, 3}, {}}});
    FAIL() << "an id outside the vocabulary was accepted";
  } catch (const PretrainedError& e) {
    EXPECT_NE(std::string(e.what()).find("token id " + std::to_string(vocab)), std::string::npos) << e.what();
  }
  EncoderInput tooLong;
  tooLong.ids.assign(static_cast<std::size_t>(maxTokens(runner.folder().config)) + 1, 5);
  EXPECT_THROW(runner.firstTokenStates({tooLong}), PretrainedError);
}

}  // namespace
