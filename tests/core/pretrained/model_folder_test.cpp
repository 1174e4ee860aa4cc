// A model folder checked as a whole before any weight is loaded: the fixtures open with the sizes
// their config implies; a tensor whose shape or dtype disagrees with config.json is refused by name.
#include "foldbench/pretrained/model_folder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "safetensors_writer.h"

namespace foldbench::pretrained {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using namespace foldbench::pretrained::test_files;

const fs::path kModels = fs::path(FOLDBENCH_SOURCE_DIR) / "tests/fixtures/pretrained/models";

std::string refusal(const fs::path& folder) {
  try {
    openModelFolder(folder.string());
  } catch (const PretrainedError& e) {
    return e.what();
  }
  return "";
}

// A copy of a fixture whose config.json `edit` changes.
void copyWithConfig(const std::string& fixture, const TempDir& dir, const std::function<void(nlohmann::json&)>& edit) {
  fs::copy(kModels / fixture, dir.path(), fs::copy_options::recursive);
  nlohmann::json config = nlohmann::json::parse(std::ifstream(dir / "config.json"));
  edit(config);
  std::ofstream(dir / "config.json") << config.dump(2);
}

TEST(ModelFolder, TheFixturesOpenWithTheirCountsAndDtypes) {
  const auto bert = openModelFolder((kModels / "bert-wordpiece").string());
  EXPECT_EQ(bert.config.modelType, ModelType::Bert);
  EXPECT_TRUE(bert.names.hasPooler);
  EXPECT_EQ(bert.dtypes, std::vector<std::string>{"F32"});
  EXPECT_EQ(bert.weightBytes, bert.parameterCount * 4);
  // 2 layers of hidden 32, feed-forward 64, plus embeddings and the pooler.
  const std::uint64_t h = 32, f = 64, v = static_cast<std::uint64_t>(bert.config.vocabSize),
                      p = static_cast<std::uint64_t>(bert.config.maxPositionEmbeddings);
  const std::uint64_t layer = 4 * (h * h + h) + 2 * h + (h * f + f) + (f * h + h) + 2 * h;
  EXPECT_EQ(bert.parameterCount, (v + p + 2) * h + 2 * h + 2 * layer + h * h + h);
  EXPECT_FALSE(bert.names.ignored.empty());  // its cls.predictions head

  const auto xlmr = openModelFolder((kModels / "xlm-roberta-spm").string());
  EXPECT_EQ(xlmr.dtypes, std::vector<std::string>{"F16"});
  EXPECT_EQ(xlmr.weightBytes, xlmr.parameterCount * 2);
  EXPECT_FALSE(xlmr.names.hasPooler);
  EXPECT_EQ(maxTokens(xlmr.config), xlmr.config.maxPositionEmbeddings - *xlmr.config.padTokenId - 1);

  const auto electra = openModelFolder((kModels / "electra-wordpiece").string());
  EXPECT_EQ(electra.dtypes, std::vector<std::string>{"BF16"});
  EXPECT_EQ(electra.config.embeddingSize, 16);
  EXPECT_EQ(maxTokens(electra.config), electra.config.maxPositionEmbeddings);

  const auto roberta = openModelFolder((kModels / "klue-roberta-wordpiece").string());
  EXPECT_EQ(roberta.weights.files().size(), 2u);
  EXPECT_EQ(roberta.names.canonicalToStored.at("embeddings.LayerNorm.weight"), "embeddings.LayerNorm.gamma");
}

TEST(ModelFolder, AShapeThatDisagreesWithTheConfigIsRefusedNamingTensorFileAndBothShapes) {
  TempDir dir;
  copyWithConfig("bert-wordpiece", dir, [](nlohmann::json& c) { c["intermediate_size"] = 48; });
  const auto message = refusal(dir.path());
  EXPECT_THAT(message, HasSubstr("model.safetensors: tensor 'bert.encoder.layer.0.intermediate.dense.bias'"));
  EXPECT_THAT(message, HasSubstr("has shape [64], but config.json implies [48]"));
}

TEST(ModelFolder, AVocabularyLargerThanTheEmbeddingTableIsRefused) {
  TempDir dir;
  copyWithConfig("klue-roberta-wordpiece", dir, [](nlohmann::json& c) { c["vocab_size"] = c["vocab_size"].get<int>() + 1; });
  EXPECT_THAT(refusal(dir.path()), HasSubstr("'embeddings.word_embeddings.weight' has shape ["));
}

TEST(ModelFolder, ElectrasEmbeddingWidthIsChecked) {
  TempDir dir;
  copyWithConfig("electra-wordpiece", dir, [](nlohmann::json& c) { c["embedding_size"] = 32; });
  // With embedding_size equal to hidden_size no projection is expected, so the stored one is unknown.
  EXPECT_THAT(refusal(dir.path()), HasSubstr("embeddings_project"));
}

TEST(ModelFolder, AnIntegerWeightIsRefusedByDtype) {
  TempDir dir;
  copyWithConfig("bert-wordpiece", dir, [](nlohmann::json&) {});
  // Rewrite the weights with one tensor stored as I32 of the right shape.
  const auto original = SafetensorsFile::open((dir / "model.safetensors").string());
  std::vector<RawTensor> tensors;
  for (const auto& entry : original.entries()) {
    RawTensor t{entry.name, dtypeName(entry.dtype), entry.shape,
                std::vector<std::uint8_t>(original.data(entry.name), original.data(entry.name) + entry.byteCount())};
    if (entry.name == "bert.pooler.dense.bias") t.dtype = "I32";
    tensors.push_back(std::move(t));
  }
  writeFile(dir / "model.safetensors", serialize(tensors));
  EXPECT_THAT(refusal(dir.path()),
              HasSubstr("tensor 'bert.pooler.dense.bias' is I32; encoder weights must be F32, F16 or BF16"));
}

TEST(ModelFolder, AFolderWithoutConfigOrThatIsNoFolderIsRefused) {
  TempDir dir;
  EXPECT_THAT(refusal(dir.path()), HasSubstr("no config.json"));
  EXPECT_THAT(refusal(dir / "absent"), HasSubstr("not a folder"));
}

}  // namespace
}  // namespace foldbench::pretrained
