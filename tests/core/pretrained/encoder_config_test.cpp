// config.json for bert, roberta, xlm-roberta and electra, and the strict tensor name map.
#include "foldbench/pretrained/encoder_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "foldbench/pretrained/safetensors.h"

namespace foldbench::pretrained {
namespace {

using ::testing::HasSubstr;

std::string refusal(const std::string& json) {
  try {
    parseEncoderConfig(json, "config.json");
  } catch (const PretrainedError& e) {
    return e.what();
  }
  return "";
}

const char* kBert = R"({"model_type": "bert", "vocab_size": 300, "hidden_size": 32, "num_hidden_layers": 2,
  "num_attention_heads": 4, "intermediate_size": 37, "hidden_act": "gelu", "layer_norm_eps": 1e-5,
  "max_position_embeddings": 64, "type_vocab_size": 2, "pad_token_id": 0})";

TEST(EncoderConfig, ReadsEveryFieldOfABertConfig) {
  const auto c = parseEncoderConfig(kBert, "config.json");
  EXPECT_EQ(c.modelType, ModelType::Bert);
  EXPECT_EQ(c.vocabSize, 300);
  EXPECT_EQ(c.hiddenSize, 32);
  EXPECT_EQ(c.numHiddenLayers, 2);
  EXPECT_EQ(c.numAttentionHeads, 4);
  EXPECT_EQ(c.intermediateSize, 37);
  EXPECT_EQ(c.hiddenAct, Activation::Gelu);
  EXPECT_DOUBLE_EQ(c.layerNormEps, 1e-5);
  EXPECT_EQ(c.maxPositionEmbeddings, 64);
  EXPECT_EQ(c.typeVocabSize, 2);
  EXPECT_EQ(c.padTokenId, 0);
  EXPECT_EQ(c.embeddingSize, 32);
  EXPECT_TRUE(c.defaulted.empty());
}

TEST(EncoderConfig, MissingFieldsTakeTheClassDefaults) {
  const auto roberta = parseEncoderConfig(R"({"model_type": "xlm-roberta", "vocab_size": 250002})", "config.json");
  EXPECT_EQ(roberta.modelType, ModelType::XlmRoberta);
  EXPECT_EQ(roberta.padTokenId, 1);
  EXPECT_EQ(roberta.hiddenSize, 768);
  EXPECT_DOUBLE_EQ(roberta.layerNormEps, 1e-12);
  EXPECT_THAT(roberta.defaulted, ::testing::Contains("pad_token_id"));
  const auto electra = parseEncoderConfig(R"({"model_type": "electra", "hidden_act": "gelu_new"})", "config.json");
  EXPECT_EQ(electra.embeddingSize, 128);
  EXPECT_EQ(electra.hiddenSize, 256);
  EXPECT_EQ(electra.hiddenAct, Activation::GeluNew);
  const auto electra768 = parseEncoderConfig(
      R"({"model_type": "electra", "embedding_size": 768, "hidden_size": 768, "num_attention_heads": 12})", "c");
  EXPECT_EQ(electra768.embeddingSize, 768);
}

TEST(EncoderConfig, RefusesOtherModelTypesByName) {
  EXPECT_THAT(refusal(R"({"model_type": "gpt2"})"), HasSubstr("config.json: model_type 'gpt2' is not supported"));
  EXPECT_THAT(refusal(R"({"model_type": "deberta-v2"})"), HasSubstr("'deberta-v2'"));
  EXPECT_THAT(refusal(R"({"hidden_size": 4})"), HasSubstr("no \"model_type\""));
  EXPECT_THAT(refusal("[]"), HasSubstr("not a JSON object"));
}

TEST(EncoderConfig, RefusesBadFieldsByName) {
  EXPECT_THAT(refusal(R"({"model_type": "bert", "hidden_act": "relu"})"), HasSubstr("hidden_act 'relu' is not supported"));
  EXPECT_THAT(refusal(R"({"model_type": "bert", "hidden_size": "768"})"),
              HasSubstr("field 'hidden_size' is \"768\", not an integer"));
  EXPECT_THAT(refusal(R"({"model_type": "bert", "hidden_size": 0})"), HasSubstr("'hidden_size' is 0"));
  EXPECT_THAT(refusal(R"({"model_type": "bert", "hidden_size": 30, "num_attention_heads": 4})"),
              HasSubstr("not a multiple of num_attention_heads"));
  EXPECT_THAT(refusal(R"({"model_type": "bert", "layer_norm_eps": -1})"), HasSubstr("layer_norm_eps is -1"));
  EXPECT_THAT(refusal(R"({"model_type": "bert", "position_embedding_type": "relative_key"})"),
              HasSubstr("position_embedding_type \"relative_key\" is not supported"));
  EXPECT_THAT(refusal(R"({"model_type": "bert", "vocab_size": 10, "pad_token_id": 10})"),
              HasSubstr("pad_token_id 10 is outside the vocabulary"));
  EXPECT_THAT(refusal(R"({"model_type": "roberta", "pad_token_id": 1, "max_position_embeddings": 2})"),
              HasSubstr("leaves no position after pad_token_id 1"));
  EXPECT_THAT(refusal(R"({"model_type": "roberta", "pad_token_id": null})"), HasSubstr("pad_token_id is null"));
}

EncoderConfig tiny(const char* type, std::int64_t embeddingSize = 32) {
  EncoderConfig c;
  c.modelType = type == std::string("bert")      ? ModelType::Bert
                : type == std::string("roberta") ? ModelType::Roberta
                : type == std::string("xlm-roberta") ? ModelType::XlmRoberta
                                                     : ModelType::Electra;
  c.vocabSize = 300;
  c.hiddenSize = 32;
  c.numHiddenLayers = 2;
  c.numAttentionHeads = 4;
  c.intermediateSize = 37;
  c.maxPositionEmbeddings = 64;
  c.typeVocabSize = 2;
  c.padTokenId = 0;
  c.embeddingSize = embeddingSize;
  return c;
}

std::vector<std::string> withPrefix(const std::string& prefix, const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& n : names) out.push_back(prefix + n);
  return out;
}

std::string refusalOfNames(const EncoderConfig& config, const std::vector<std::string>& names) {
  try {
    checkTensorNames(config, names, "model.safetensors");
  } catch (const PretrainedError& e) {
    return e.what();
  }
  return "";
}

TEST(TensorNames, RequiredNamesCoverEmbeddingsAndEveryLayer) {
  const auto names = requiredTensorNames(tiny("bert"));
  EXPECT_EQ(names.size(), 5u + 2 * 16);
  EXPECT_THAT(names, ::testing::Contains("encoder.layer.1.output.LayerNorm.bias"));
  EXPECT_THAT(names, ::testing::Not(::testing::Contains("encoder.layer.2.output.LayerNorm.bias")));
  EXPECT_EQ(requiredTensorNames(tiny("electra", 16)).size(), 7u + 2 * 16);
  EXPECT_THAT(requiredTensorNames(tiny("electra", 16)), ::testing::Contains("embeddings_project.weight"));
}

TEST(TensorNames, PrefixLessNamesAreAccepted) {
  auto names = requiredTensorNames(tiny("bert"));
  names.push_back("pooler.dense.weight");
  names.push_back("pooler.dense.bias");
  const auto map = checkTensorNames(tiny("bert"), names, "model.safetensors");
  EXPECT_FALSE(map.prefixed);
  EXPECT_TRUE(map.hasPooler);
  EXPECT_TRUE(map.ignored.empty());
  EXPECT_EQ(map.canonicalToStored.size(), names.size());
  EXPECT_EQ(map.canonicalToStored.at("embeddings.word_embeddings.weight"), "embeddings.word_embeddings.weight");
}

TEST(TensorNames, PrefixedNamesMapAndKnownHeadsAreListedAsIgnored) {
  auto names = withPrefix("bert.", requiredTensorNames(tiny("bert")));
  const std::vector<std::string> heads = {"cls.predictions.bias", "cls.predictions.transform.dense.weight",
                                          "cls.seq_relationship.weight", "bert.embeddings.position_ids"};
  names.insert(names.end(), heads.begin(), heads.end());
  const auto map = checkTensorNames(tiny("bert"), names, "model.safetensors");
  EXPECT_TRUE(map.prefixed);
  EXPECT_FALSE(map.hasPooler);
  EXPECT_EQ(map.canonicalToStored.at("encoder.layer.0.attention.self.query.weight"),
            "bert.encoder.layer.0.attention.self.query.weight");
  EXPECT_EQ(map.ignored, heads);

  auto roberta = withPrefix("roberta.", requiredTensorNames(tiny("xlm-roberta")));
  roberta.push_back("lm_head.dense.weight");
  roberta.push_back("lm_head.bias");
  EXPECT_EQ(checkTensorNames(tiny("xlm-roberta"), roberta, "m").ignored.size(), 2u);

  auto electra = withPrefix("electra.", requiredTensorNames(tiny("electra", 16)));
  electra.push_back("discriminator_predictions.dense.weight");
  electra.push_back("discriminator_predictions.dense_prediction.bias");
  EXPECT_EQ(checkTensorNames(tiny("electra", 16), electra, "m").ignored.size(), 2u);
  // A head of another architecture is no head here.
  auto bertWithLmHead = requiredTensorNames(tiny("bert"));
  bertWithLmHead.push_back("lm_head.bias");
  EXPECT_THAT(refusalOfNames(tiny("bert"), bertWithLmHead), HasSubstr("unexpected tensor 'lm_head.bias'"));
}

TEST(TensorNames, LegacyGammaAndBetaAreAccepted) {
  std::vector<std::string> names;
  for (auto name : requiredTensorNames(tiny("bert"))) {
    if (name.size() > 16 && name.compare(name.size() - 16, 16, "LayerNorm.weight") == 0)
      name = name.substr(0, name.size() - 6) + "gamma";
    else if (name.size() > 14 && name.compare(name.size() - 14, 14, "LayerNorm.bias") == 0)
      name = name.substr(0, name.size() - 4) + "beta";
    names.push_back("bert." + name);
  }
  const auto map = checkTensorNames(tiny("bert"), names, "model.safetensors");
  EXPECT_EQ(map.canonicalToStored.at("embeddings.LayerNorm.weight"), "bert.embeddings.LayerNorm.gamma");
  EXPECT_EQ(map.canonicalToStored.at("encoder.layer.1.output.LayerNorm.bias"), "bert.encoder.layer.1.output.LayerNorm.beta");
  // Both spellings of one tensor: which to load is unclear.
  names.push_back("bert.embeddings.LayerNorm.weight");
  EXPECT_THAT(refusalOfNames(tiny("bert"), names),
              HasSubstr("'bert.embeddings.LayerNorm.gamma' and 'bert.embeddings.LayerNorm.weight' are both"));
}

TEST(TensorNames, AMissingRequiredTensorIsNamed) {
  auto names = withPrefix("roberta.", requiredTensorNames(tiny("roberta")));
  names.erase(std::find(names.begin(), names.end(), "roberta.encoder.layer.1.intermediate.dense.bias"));
  EXPECT_THAT(refusalOfNames(tiny("roberta"), names),
              HasSubstr("model.safetensors: missing tensor 'roberta.encoder.layer.1.intermediate.dense.bias'"));
  // ELECTRA with a narrower embedding needs its projection.
  auto electra = requiredTensorNames(tiny("electra", 16));
  electra.erase(std::find(electra.begin(), electra.end(), "embeddings_project.bias"));
  EXPECT_THAT(refusalOfNames(tiny("electra", 16), electra), HasSubstr("missing tensor 'embeddings_project.bias'"));
}

TEST(TensorNames, AnUnexpectedTensorIsNamedWithTheFile) {
  auto names = requiredTensorNames(tiny("bert"));
  names.push_back("encoder.layer.2.output.dense.weight");  // a third layer in a 2-layer config
  EXPECT_THAT(refusalOfNames(tiny("bert"), names),
              HasSubstr("model.safetensors: unexpected tensor 'encoder.layer.2.output.dense.weight'"));
  names.pop_back();
  names.push_back("qa_outputs.weight");
  EXPECT_THAT(refusalOfNames(tiny("bert"), names), HasSubstr("unexpected tensor 'qa_outputs.weight'"));
  // ELECTRA has no pooler, and no projection when the widths agree.
  auto electra = requiredTensorNames(tiny("electra", 32));
  electra.push_back("pooler.dense.weight");
  EXPECT_THAT(refusalOfNames(tiny("electra", 32), electra), HasSubstr("unexpected tensor 'pooler.dense.weight'"));
  electra.back() = "embeddings_project.weight";
  EXPECT_THAT(refusalOfNames(tiny("electra", 32), electra), HasSubstr("unexpected tensor 'embeddings_project.weight'"));
}

TEST(TensorNames, MixedPrefixesAndHalfAPoolerAreRefused) {
  auto names = withPrefix("bert.", requiredTensorNames(tiny("bert")));
  names.front() = names.front().substr(5);
  EXPECT_THAT(refusalOfNames(tiny("bert"), names), HasSubstr("mix the 'bert.' prefix"));
  auto pooler = requiredTensorNames(tiny("bert"));
  pooler.push_back("pooler.dense.weight");
  EXPECT_THAT(refusalOfNames(tiny("bert"), pooler), HasSubstr("the pooler has a weight but no bias"));
}

}  // namespace
}  // namespace foldbench::pretrained
