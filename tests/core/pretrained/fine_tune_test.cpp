// Fine-tuning each tiny pretrained fixture (scripts/pretrained_fixtures/make_models.py) on the
// sample data: a 2-fold run learns (beats the majority class), and every fold's checkpoint, stored
// in fp32, fp16 or bf16, reloads to exactly the probabilities the run scored.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "foldbench/data/sample_generator.h"
#include "foldbench/kfold/kfold_runner.h"
#include "foldbench/pretrained/pretrained_token_source.h"
#include "foldbench/pretrained/pretrained_tokenizer.h"
#include "foldbench/text/input_encoder.h"
#include "foldbench/train/fold_trainer.h"
#include "checkpoint.h"
#include "pretrained_classifier.h"
#include "sample_config.h"
#include "temp_dir.h"

namespace foldbench {
namespace {

namespace fs = std::filesystem;
const fs::path kModels = fs::path(FOLDBENCH_SOURCE_DIR) / "tests/fixtures/pretrained/models";

struct Case {
  std::string model, inputFormat, pooling, precision;
};

config::ExperimentConfig fineTuneConfig(const Case& c, const std::string& outputDir) {
  auto config = testing::sampleConfig(outputDir);
  config.model.family = config::ModelFamily::Pretrained;
  config.model.pretrainedPath = (kModels / c.model).string();
  config.model.pooling = enumFromString<config::Pooling>(c.pooling);
  config.input.format = enumFromString<text::InputFormat>(c.inputFormat);
  config.input.maxLen = 40;
  config.kfold.folds = 2;
  config.train.epochs = 12;
  config.train.learningRate = 5e-3;
  config.train.warmupRatio = 0.05;
  config.train.layerLrDecay = 0.9;
  config.train.checkpointPrecision = enumFromString<config::Precision>(c.precision);
  config.train.saveOptimizer = config.train.checkpointPrecision == config::Precision::Fp32;
  return config;
}

double majorityShare(const std::vector<int>& labels) {
  std::map<int, int> counts;
  for (int l : labels) ++counts[l];
  int most = 0;
  for (const auto& [label, n] : counts) most = std::max(most, n);
  return static_cast<double>(most) / static_cast<double>(labels.size());
}

class FineTune : public ::testing::TestWithParam<Case> {};

TEST_P(FineTune, TwoFoldsLearnAndEachCheckpointReloadsToTheScoredProbabilities) {
  testing::TempDir dir;
  const auto config = fineTuneConfig(GetParam(), dir.path());
  train::TrainingObserver quiet;
  std::atomic<bool> cancel{false};
  const auto prepared = kfold::prepareRun(config, quiet);
  // The run keeps the model's tokenizer and config.json, never its weights.
  EXPECT_TRUE(fs::exists(prepared.runDir + "/pretrained/config.json"));
  EXPECT_FALSE(fs::exists(prepared.runDir + "/pretrained/model.safetensors"));
  const auto result = kfold::runFolds(prepared, quiet, cancel);
  ASSERT_EQ(result.status, RunStatus::Finished) << result.error;
  const double majority = majorityShare(prepared.data.labels);
  EXPECT_GT(result.outOfFoldAccuracy, majority + 0.1) << "majority class share " << majority;
  for (const auto& fold : result.folds) {
    ASSERT_FALSE(fold.validationRows.empty());
    EXPECT_EQ(nameOf(train::CheckpointReader(fold.checkpointPath).state().weightPrecision), GetParam().precision);
    const auto reloaded = train::predictProbabilities(fold.checkpointPath, prepared.data, fold.validationRows);
    EXPECT_EQ(reloaded, fold.validationProbabilities) << "fold " << fold.fold;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, FineTune,
    // Random tiny encoders learn the sample's relations through the entity states; [CLS] pooling
    // (tested below) needs real pretraining to carry them.
    ::testing::Values(Case{"bert-wordpiece", "pair", "entity", "fp32"},           // the write-up's input
                      Case{"klue-roberta-wordpiece", "punct", "entity", "bf16"},  // Korean typed punct markers
                      Case{"xlm-roberta-spm", "markers", "entity", "fp16"},       // added marker tokens
                      Case{"electra-wordpiece", "typed", "entity", "fp32"}),
    [](const auto& info) {
      std::string name = info.param.model + "_" + info.param.inputFormat + "_" + info.param.precision;
      std::replace(name.begin(), name.end(), '-', '_');
      return name;
    });

TEST(FineTuneParts, LayerwiseDecayGivesEachDepthItsShareOfTheRate) {
  config::ModelConfig c;
  c.family = config::ModelFamily::Pretrained;
  c.pretrainedPath = (kModels / "bert-wordpiece").string();
  model::PretrainedClassifier classifier(c, 400, 5, /*loadWeights=*/false);
  const auto scales = classifier.learningRateScales(0.5);
  std::map<std::string, double> byName;
  std::size_t i = 0;
  for (const auto& item : classifier.named_parameters()) byName[item.key()] = scales.at(i++);
  ASSERT_EQ(scales.size(), byName.size());
  // Two layers: head and pooler at 1, layer 1 at 0.5, layer 0 at 0.25, embeddings at 0.125.
  EXPECT_EQ(byName.at("head.weight"), 1.0);
  EXPECT_EQ(byName.at("encoder.pooler.dense.weight"), 1.0);
  EXPECT_EQ(byName.at("encoder.encoder.layer.1.output.dense.weight"), 0.5);
  EXPECT_EQ(byName.at("encoder.encoder.layer.0.attention.self.query.bias"), 0.25);
  EXPECT_EQ(byName.at("encoder.embeddings.word_embeddings.weight"), 0.125);
}

TEST(FineTuneParts, ClsPoolingGoesThroughThePretrainedPoolerAndMeanPoolingSkipsPads) {
  config::ModelConfig c;
  c.family = config::ModelFamily::Pretrained;
  c.pretrainedPath = (kModels / "bert-wordpiece").string();
  torch::manual_seed(5);
  auto classifier = std::make_shared<model::PretrainedClassifier>(c, 400, 3, /*loadWeights=*/true);
  classifier->eval();
  model::Batch batch;
  batch.ids = torch::tensor({{2, 30, 31, 32, 3}, {2, 40, 3, 0, 0}}, torch::kLong);
  batch.segments = torch::zeros_like(batch.ids);
  batch.padding = batch.ids.eq(0);
  batch.subjectPos = torch::tensor({1, 1}, torch::kLong);
  batch.objectPos = torch::tensor({2, 1}, torch::kLong);
  torch::NoGradGuard noGrad;
  auto encoder = pretrained::loadPretrainedEncoder(pretrained::openModelFolder(c.pretrainedPath));
  const auto out = encoder->forward(batch.ids, batch.segments, (~batch.padding).to(torch::kLong));
  c.pooling = config::Pooling::Cls;
  classifier = std::make_shared<model::PretrainedClassifier>(c, 400, 3, true);
  classifier->eval();
  const auto clsParams = classifier->named_parameters();
  EXPECT_TRUE(torch::allclose(classifier->forward(batch),
                              torch::nn::functional::linear(out.pooled, clsParams["head.weight"], clsParams["head.bias"]),
                              1e-5, 1e-6));
  c.pooling = config::Pooling::Mean;
  classifier = std::make_shared<model::PretrainedClassifier>(c, 400, 3, true);
  classifier->eval();
  const auto meanParams = classifier->named_parameters();
  const auto states = out.hiddenStates.back();
  const auto mean = torch::stack({states[0].mean(0), states[1].narrow(0, 0, 3).mean(0)});
  EXPECT_TRUE(torch::allclose(classifier->forward(batch),
                              torch::nn::functional::linear(mean, meanParams["head.weight"], meanParams["head.bias"]),
                              1e-5, 1e-6));
}

// The write-up built its input as tokenizer(subject + "[SEP]" + object, sentence): the pair format
// must give those very ids, the sentence tokenized whole (a particle attached to an entity stays
// a ## piece of its word).
TEST(FineTuneParts, ThePairFormatGivesTheIdsOfTheWriteUpsTokenizerCall) {
  const auto folder = (kModels / "bert-wordpiece").string();
  const auto tokenizer = pretrained::openPretrainedTokenizer(folder);
  const auto source = pretrained::makeTokenSource(*tokenizer, 400, false, 1);
  const text::InputEncoder encoder(*source, {text::InputFormat::EntityPair, 512});
  const auto sample = data::generateSample();
  int compared = 0;
  for (std::size_t i = 0; i < 40 && i < sample.train.rows.size(); ++i) {
    const auto& row = sample.train.rows[i];
    const auto expected = tokenizer->encodePair(row.subject.text + " [SEP] " + row.object.text, row.sentence);
    const auto encoded = encoder.encode(row);
    ASSERT_EQ(std::vector<std::int64_t>(encoded.ids.begin(), encoded.ids.end()), expected.ids) << row.sentence;
    ASSERT_EQ(std::vector<std::int64_t>(encoded.segments.begin(), encoded.segments.end()), expected.typeIds);
    ++compared;
  }
  EXPECT_EQ(compared, 40);
}

TEST(FineTuneParts, MarkerTokensGetTheirOwnEmbeddingRows) {
  config::ModelConfig c;
  c.family = config::ModelFamily::Pretrained;
  c.pretrainedPath = (kModels / "xlm-roberta-spm").string();
  torch::manual_seed(3);
  model::PretrainedClassifier classifier(c, 402 + 4, 5, /*loadWeights=*/true);
  const auto words = classifier.named_parameters()["encoder.embeddings.word_embeddings.weight"];
  ASSERT_EQ(words.size(0), 406);
  // The new rows sit near the mean of the pretrained ones, and differ from each other.
  const auto mean = words.narrow(0, 0, 402).mean(0);
  for (int row = 402; row < 406; ++row) EXPECT_LT((words[row] - mean).abs().max().item<double>(), 0.2);
  EXPECT_FALSE(torch::equal(words[402], words[403]));
}

TEST(FineTuneParts, AMissingOrBrokenModelFolderIsNamedBeforeAnyRunFolderExists) {
  testing::TempDir dir;
  train::TrainingObserver quiet;
  auto config = fineTuneConfig({"bert-wordpiece", "pair", "cls", "fp32"}, dir.path());
  config.model.pretrainedPath.clear();
  try {
    kfold::prepareRun(config, quiet);
    FAIL() << "a run without a model folder was prepared";
  } catch (const config::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("model.pretrained_path: not set: put a Hugging Face model folder there"), std::string::npos) << e.what();
  }
  config.model.pretrainedPath = dir.file("nowhere");
  EXPECT_THROW(kfold::prepareRun(config, quiet), std::exception);
  config.model.pretrainedPath = (kModels / "bert-wordpiece").string();
  config.input.maxLen = 400;  // the fixture takes 48 tokens
  EXPECT_THROW(kfold::prepareRun(config, quiet), config::ConfigError);
  EXPECT_TRUE(fs::is_empty(dir.path())) << "a run folder was left behind";
}

}  // namespace
}  // namespace foldbench
