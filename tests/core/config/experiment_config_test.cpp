#include <gtest/gtest.h>

#include "foldbench/config/experiment_config.h"
#include <filesystem>
#include <nlohmann/json.hpp>

#include "temp_dir.h"

namespace foldbench::config {
namespace {

TEST(ExperimentConfig, DefaultsFollowTheSeedsTable) {
  const ExperimentConfig c;
  EXPECT_EQ(c.train.batchSize, 32);
  EXPECT_EQ(c.train.epochs, 9);
  EXPECT_DOUBLE_EQ(c.train.labelSmoothing, 0.1);
  EXPECT_DOUBLE_EQ(c.train.weightDecay, 0.01);
  EXPECT_DOUBLE_EQ(c.train.minLr, 5e-7);
  EXPECT_EQ(c.input.maxLen, 128);
  EXPECT_EQ(c.train.seed, 77u);
  EXPECT_TRUE(c.kfold.enabled);
  EXPECT_EQ(c.train.bestMetric, BestMetric::Accuracy);
}

TEST(ExperimentConfig, JsonRoundTrip) {
  ExperimentConfig c = preset("sample");
  c.train.scheduler = Scheduler::Step;
  c.model.layers = 3;
  c.kfold.oversampleMinFraction = 0.25;
  const auto back = fromJson(toJson(c));
  EXPECT_EQ(toJson(back), toJson(c));
  EXPECT_EQ(back.model.layers, 3);
  EXPECT_EQ(fromJson(toJson(c, /*withDocs=*/true)).train.scheduler, Scheduler::Step) << "documented output reads back";
}

TEST(ExperimentConfig, MissingKeysKeepDefaults) {
  const auto c = fromJson(R"({"train": {"epochs": 3}})");
  EXPECT_EQ(c.train.epochs, 3);
  EXPECT_EQ(c.train.batchSize, 32);
}

TEST(ExperimentConfig, ReportsEveryProblemAtOnce) {
  try {
    fromJson(R"({"train": {"epochs": 0, "batch_sise": 8, "scheduler": "cyclic", "lr": "fast"},
                 "model": {"hidden": 100, "heads": 3}, "extras": {}})");
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    const auto& p = e.problems();
    const auto has = [&](const std::string& text) {
      return std::any_of(p.begin(), p.end(), [&](const std::string& s) { return s.find(text) != std::string::npos; });
    };
    EXPECT_TRUE(has("train.epochs: must be within 1..1000"));
    EXPECT_TRUE(has("train.batch_sise: unknown key"));
    EXPECT_TRUE(has("train.scheduler: must be one of constant|linear|cosine|cosine_restarts|step"));
    EXPECT_TRUE(has("train.lr: expected a number"));
    EXPECT_TRUE(has("extras: unknown section"));
    EXPECT_EQ(p.size(), 5u) << "consistency checks run once the values themselves are valid";
  }
  try {
    fromJson(R"({"model": {"hidden": 100, "heads": 3}, "kfold": {"folds": 5, "fold": 5}})");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.problems().size(), 2u);
  }
  EXPECT_THROW(fromJson("{not json"), ConfigError);
}

TEST(ExperimentConfig, PresetsAreValidAndFilesLoad) {
  // The competition presets leave the data to the user (their paths exist beside no install):
  // the one problem names the field to set.
  for (const auto& name : presetNames()) {
    auto c = preset(name);
    if (name == "sample") {
      EXPECT_TRUE(c.validate().empty()) << name;
      continue;
    }
    EXPECT_TRUE(c.data.trainPath.empty() && c.data.testPath.empty() && c.data.labelsPath.empty()) << name;
    // The pretrained presets also leave the model folder to the user, and say what to put there.
    const bool pretrained = c.model.family == ModelFamily::Pretrained;
    const auto problems = c.validate();
    ASSERT_EQ(problems.size(), pretrained ? 2u : 1u) << name;
    EXPECT_EQ(problems[0].rfind("data.train_path: not set: put the path of your training file there", 0), 0u)
        << problems[0];
    if (pretrained)
      EXPECT_EQ(problems[1].rfind("model.pretrained_path: not set: put a Hugging Face model folder there", 0), 0u)
          << problems[1];
    c.data.trainPath = "train.tsv";
    c.model.pretrainedPath = "bert-base-multilingual-cased";
    EXPECT_TRUE(c.validate().empty()) << name;
  }
  EXPECT_THROW(preset("huge"), std::invalid_argument);
  testing::TempDir dir;
  saveConfig(preset("klue-re-scratch"), dir.file("c.json"));
  EXPECT_EQ(loadConfig(dir.file("c.json")).model.family, ModelFamily::Ngram);
  EXPECT_FALSE(loadConfig(dir.file("c.json")).model.ngramContext);
  saveConfig(preset("klue-re-best"), dir.file("best.json"));
  EXPECT_TRUE(loadConfig(dir.file("best.json")).model.ngramContext);
  EXPECT_EQ(loadConfig(dir.file("best.json")).run.name, "klue-re-best");
  EXPECT_EQ(loadConfig(dir.file("best.json")).model.ngramTablePrecision, Precision::Fp16);
  EXPECT_EQ(loadConfig(dir.file("c.json")).model.ngramTablePrecision, Precision::Fp32);
  EXPECT_THROW(loadConfig(dir.file("missing.json")), ConfigError);
  // A file may leave data.train_path empty (--train or the window gives it), not run.output_dir.
  auto noFolder = preset("klue-re-best");
  noFolder.run.outputDir.clear();
  dir.write("no-folder.json", toJson(noFolder));
  try {
    loadConfig(dir.file("no-folder.json"));
    FAIL() << "a config without run.output_dir loaded";
  } catch (const ConfigError& e) {
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].rfind("run.output_dir: not set: put the folder runs are written to there", 0), 0u)
        << e.problems()[0];
  }
}

TEST(ExperimentConfig, EveryFieldIsDocumented) {
  const auto docs = fieldDocs();
  EXPECT_GT(docs.size(), 50u);
  for (const auto& d : docs) {
    EXPECT_FALSE(d.doc.empty()) << d.key;
    EXPECT_NE(d.key.find('.'), std::string::npos);
  }
}

}  // namespace
}  // namespace foldbench::config

namespace foldbench::config {
namespace {

TEST(BundledSample, RelativeSamplePathsMissingHereAreTakenFromTheBundledCopy) {
  testing::TempDir bundle;
  bundle.write("train.tsv", "x");
  bundle.write("labels.tsv", "x");
  auto c = preset("sample");
  c.data.testPath = "my/own/test.tsv";  // not a bundled path: untouched
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(bundle.path());  // no resources/sample here
  resolveBundledSamplePaths(c, bundle.path());
  std::filesystem::current_path(cwd);
  EXPECT_EQ(c.data.trainPath, bundle.file("train.tsv"));
  EXPECT_EQ(c.data.labelsPath, bundle.file("labels.tsv"));
  EXPECT_EQ(c.data.testPath, "my/own/test.tsv");
  auto unchanged = preset("sample");
  resolveBundledSamplePaths(unchanged, "");
  EXPECT_EQ(unchanged.data.trainPath, "resources/sample/train.tsv");
}

}  // namespace
}  // namespace foldbench::config

namespace foldbench::config {
namespace {

TEST(ExperimentConfig, Fp16TablesAreRefusedWhereTrainingMustResumeExactly) {
  auto c = preset("klue-re-best");
  c.data.trainPath = "train.tsv";
  ASSERT_TRUE(c.validate().empty());
  c.train.saveOptimizer = true;
  const auto problems = c.validate();
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("model.ngram_table_precision"), std::string::npos) << problems[0];
  EXPECT_NE(problems[0].find("train.save_optimizer"), std::string::npos) << problems[0];
  c.model.ngramTablePrecision = Precision::Fp32;
  EXPECT_TRUE(c.validate().empty());
  c.model.ngramTablePrecision = Precision::Bf16;
  EXPECT_EQ(c.validate().size(), 1u);
  // The transformer family has no n-gram tables: the field does not apply to it.
  c.model.family = ModelFamily::Transformer;
  c.model.ngramTablePrecision = Precision::Fp16;
  EXPECT_TRUE(c.validate().empty());
}

TEST(ExperimentConfig, AnUnknownBestMetricIsRejectedNotTurnedIntoAccuracy) {
  auto json = toJson(preset("sample"));
  const auto at = json.find("\"best_metric\": \"accuracy\"");
  ASSERT_NE(at, std::string::npos);
  json.replace(at, std::string("\"best_metric\": \"accuracy\"").size(), "\"best_metric\": \"f1\"");
  try {
    fromJson(json, "edited.json");
    FAIL() << "best_metric f1 was accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("train.best_metric"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace foldbench::config

namespace foldbench::config {
namespace {

// Binds every member of `section` by name; the binding has to list exactly as many names as the
// struct has members, so adding a member without updating this test does not compile. The JSON
// must then carry as many keys as the struct has members: a member missing from the
// declaration (and so from JSON, validation and the form) fails here.
template <std::size_t Members, typename Section>
void expectEveryMemberDeclared(const nlohmann::json& json, const char* name, const Section&) {
  ASSERT_TRUE(json.contains(name)) << name;
  EXPECT_EQ(json.at(name).size(), Members) << "a member of the " << name << " section is not declared in fieldSpecs()";
}

TEST(ExperimentConfig, EveryStructMemberHasAJsonKey) {
  const ExperimentConfig c;
  const auto json = nlohmann::json::parse(toJson(c));
  {
    const auto& [a, b, d, e, f, g, h] = c.data;
    expectEveryMemberDeclared<7>(json, "data", c.data);
  }
  {
    const auto& [a, b, d, e] = c.tokenizer;
    expectEveryMemberDeclared<4>(json, "tokenizer", c.tokenizer);
  }
  {
    const auto& [a, b] = c.input;
    expectEveryMemberDeclared<2>(json, "input", c.input);
  }
  {
    const auto& [a, b, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r] = c.model;
    expectEveryMemberDeclared<17>(json, "model", c.model);
  }
  {
    const auto& [a, b, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u, v, w, x, y, z, aa, ab, ac, ad] = c.train;
    expectEveryMemberDeclared<29>(json, "train", c.train);
  }
  {
    const auto& [a, b, d, e, f, g, h] = c.kfold;
    expectEveryMemberDeclared<7>(json, "kfold", c.kfold);
  }
  {
    const auto& [a, b] = c.run;
    expectEveryMemberDeclared<2>(json, "run", c.run);
  }
}

}  // namespace
}  // namespace foldbench::config
