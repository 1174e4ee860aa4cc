#include <gtest/gtest.h>

#include "foldbench/config/field_spec.h"

namespace foldbench::config {
namespace {

TEST(FieldSpec, GetAndSetByKey) {
  ExperimentConfig c;
  setField(c, "train.batch_size", std::int64_t{48});
  setField(c, "train.lr", 0.002);
  setField(c, "train.epochs", std::int64_t{3});
  setField(c, "model.family", std::string("ngram"));
  setField(c, "kfold.enabled", false);
  setField(c, "train.min_lr", std::int64_t{0});  // an integer is a valid float
  EXPECT_EQ(c.train.batchSize, 48);
  EXPECT_DOUBLE_EQ(c.train.learningRate, 0.002);
  EXPECT_EQ(c.model.family, ModelFamily::Ngram);
  EXPECT_FALSE(c.kfold.enabled);
  EXPECT_EQ(std::get<std::int64_t>(getField(c, "train.epochs")), 3);
  EXPECT_THROW(setField(c, "train.nope", std::int64_t{1}), std::invalid_argument);
  EXPECT_THROW(setField(c, "train.epochs", std::string("three")), std::invalid_argument);
  EXPECT_THROW(getField(c, "nope.nope"), std::invalid_argument);
}

TEST(FieldSpec, EveryStructMemberIsDeclared) {
  // Every field set through the declaration to a non-default value must change the JSON, and
  // a config rebuilt only from the declared fields must equal the original member by member.
  ExperimentConfig source = preset("klue-re-scratch");
  source.data.trainPath = "train.tsv";
  source.train.seed = 12345;
  source.run.name = "x";
  ExperimentConfig rebuilt;
  for (const auto& f : fieldSpecs()) f.set(rebuilt, f.get(source));
  const auto& a = source;
  const auto& b = rebuilt;
  EXPECT_EQ(a.data.trainPath, b.data.trainPath);
  EXPECT_EQ(a.data.noRelationLabel, b.data.noRelationLabel);
  EXPECT_EQ(a.model.family, b.model.family);
  EXPECT_EQ(a.model.ngramDim, b.model.ngramDim);
  EXPECT_EQ(a.model.mlpHidden, b.model.mlpHidden);
  EXPECT_EQ(a.train.learningRate, b.train.learningRate);
  EXPECT_EQ(a.train.seed, b.train.seed);
  EXPECT_EQ(a.train.saveOptimizer, b.train.saveOptimizer);
  EXPECT_EQ(a.kfold.oversampleMinFraction, b.kfold.oversampleMinFraction);
  EXPECT_EQ(a.run.name, b.run.name);
  EXPECT_EQ(toJson(a), toJson(b));
}

TEST(FieldSpec, ProblemsNameTheirField) {
  ExperimentConfig c = preset("sample");
  c.model.hidden = 130;
  c.kfold.fold = 7;
  c.train.epochs = 0;
  const auto problems = validateFields(c);
  const auto has = [&](const std::string& key, const std::string& text) {
    for (const auto& p : problems)
      if (p.key == key && p.message.find(text) != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(has("model.hidden", "not divisible"));
  EXPECT_TRUE(has("kfold.fold", "does not exist"));
  EXPECT_TRUE(has("train.epochs", "must be within 1..1000"));
  EXPECT_EQ(problems.size(), 3u);
}

TEST(FieldSpec, AppliesWhen) {
  ExperimentConfig c;
  const auto* layers = findField("model.layers");
  const auto* dim = findField("model.ngram_dim");
  const auto* restart = findField("train.restart_epochs");
  ASSERT_TRUE(layers && dim && restart);
  EXPECT_TRUE(fieldApplies(*layers, c));
  EXPECT_FALSE(fieldApplies(*dim, c));
  EXPECT_FALSE(fieldApplies(*restart, c));
  c.model.family = config::ModelFamily::Ngram;
  c.train.scheduler = config::Scheduler::CosineRestarts;
  EXPECT_FALSE(fieldApplies(*layers, c));
  EXPECT_TRUE(fieldApplies(*dim, c));
  EXPECT_TRUE(fieldApplies(*restart, c));
  // A field that does not apply is not checked: an n-gram config ignores transformer sizes.
  c.model.hidden = 100;
  c.model.heads = 3;
  EXPECT_TRUE(validateFields(c).size() == 1 && validateFields(c)[0].key == "data.train_path");
}

TEST(FieldSpec, TypesRangesAndSteps) {
  EXPECT_EQ(findField("train.lr")->type, FieldType::Float);
  EXPECT_TRUE(findField("train.lr")->logScale);
  EXPECT_EQ(findField("train.batch_size")->type, FieldType::Int);
  EXPECT_EQ(findField("train.scheduler")->type, FieldType::Choice);
  EXPECT_EQ(findField("data.train_path")->type, FieldType::Path);
  EXPECT_TRUE(findField("run.output_dir")->directory);
  EXPECT_EQ(findField("kfold.enabled")->type, FieldType::Bool);
  EXPECT_EQ(findField("model.dropout")->step, 0.05);
  EXPECT_EQ(findField("train.best_metric")->range(), "accuracy|micro_f1|loss");
}

}  // namespace
}  // namespace foldbench::config

namespace foldbench::config {
namespace {

TEST(ClosedSets, EnumFieldsOfferExactlyTheirNamesAndRejectOthers) {
  const auto* family = findField("model.family");
  ASSERT_NE(family, nullptr);
  EXPECT_EQ(family->type, FieldType::Choice);
  EXPECT_EQ(family->choices, (std::vector<std::string>{"transformer", "ngram", "pretrained"}));
  EXPECT_EQ(findField("train.loss")->choices, (std::vector<std::string>{"ce", "focal", "weighted_ce"}));
  ExperimentConfig c;
  setField(c, "train.loss", std::string("focal"));
  EXPECT_EQ(c.train.loss, LossKind::Focal);
  EXPECT_EQ(std::get<std::string>(getField(c, "train.loss")), "focal");
  try {
    enumFromString<ModelFamily>("ngarm");
    FAIL() << "a misspelt family was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "'ngarm' is not one of transformer|ngram|pretrained");
  }
  EXPECT_FALSE(checkValue(*family, std::string("ngarm")).empty());
}

}  // namespace
}  // namespace foldbench::config
