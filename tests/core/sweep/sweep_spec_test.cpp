#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "foldbench/sweep/sweep_spec.h"

namespace foldbench::sweep {
namespace {

bool mentions(const std::vector<std::string>& problems, const std::string& text) {
  return std::any_of(problems.begin(), problems.end(), [&](const std::string& p) { return p.find(text) != std::string::npos; });
}

TEST(SweepSpec, AFieldAloneTakesItsDeclaredRangeOrChoices) {
  const auto lr = parseDimension("train.lr");
  EXPECT_EQ(lr.kind, DimensionKind::Float);
  EXPECT_TRUE(lr.log) << "the learning rate is declared logarithmic";
  EXPECT_GT(lr.low, 0.0);
  const auto scheduler = parseDimension("train.scheduler");
  EXPECT_EQ(scheduler.kind, DimensionKind::Choice);
  EXPECT_NE(std::find(scheduler.choices.begin(), scheduler.choices.end(), "cosine"), scheduler.choices.end());
  const auto epochs = parseDimension("train.epochs=2..6");
  EXPECT_EQ(epochs.kind, DimensionKind::Int);
  EXPECT_EQ(epochs.low, 2);
  EXPECT_EQ(epochs.high, 6);
  const auto narrowed = parseDimension("train.lr=log:1e-4..1e-2");
  EXPECT_TRUE(narrowed.log);
  EXPECT_DOUBLE_EQ(narrowed.high, 1e-2);
  EXPECT_EQ(parseDimension("input.format=pair,punct").choices, (std::vector<std::string>{"pair", "punct"}));
  EXPECT_EQ(describe(narrowed), "log 1e-04..0.01");
  EXPECT_THROW(parseDimension("train.nothing"), std::invalid_argument);
  EXPECT_THROW(parseDimension("run.name"), std::invalid_argument) << "text cannot be swept";
  EXPECT_THROW(parseDimension("train.lr=0.1"), std::invalid_argument) << "not a range";
}

TEST(SweepSpec, FieldsThatMoveRowsBetweenFoldsAreRefusedByName) {
  config::ExperimentConfig base;
  SweepSpec spec;
  spec.space = {parseDimension("train.seed=1..9"), parseDimension("kfold.folds=3..5"), parseDimension("train.lr"),
                parseDimension("train.lr=1e-3..1e-2"), parseDimension("kfold.oversample_min_count=0..20")};
  const auto problems = checkSpec(spec, base);
  EXPECT_TRUE(mentions(problems, "train.seed: changes which rows fall in which fold"));
  EXPECT_TRUE(mentions(problems, "kfold.folds: changes which rows"));
  EXPECT_TRUE(mentions(problems, "train.lr: swept twice"));
  EXPECT_FALSE(mentions(problems, "kfold.oversample_min_count")) << "oversampling touches training folds only";
}

TEST(SweepSpec, RangesAndChoicesMustFitTheDeclaration) {
  config::ExperimentConfig base;
  SweepSpec spec;
  spec.space = {parseDimension("train.batch_size=0..64"), parseDimension("train.scheduler=cosine,sometimes"),
                parseDimension("model.dropout=0.5..0.1")};
  const auto problems = checkSpec(spec, base);
  EXPECT_TRUE(mentions(problems, "train.batch_size: 0..64 leaves the declared range"));
  EXPECT_TRUE(mentions(problems, "train.scheduler: 'sometimes' is not one of"));
  EXPECT_TRUE(mentions(problems, "model.dropout: the range's low end must be below"));
  SweepSpec wilcoxon;
  wilcoxon.space = {parseDimension("train.lr")};
  wilcoxon.racing.test = RaceTest::Wilcoxon;
  wilcoxon.racing.alpha = 0.05;  // 5 folds: the best p after 4 is 1/16
  EXPECT_TRUE(mentions(checkSpec(wilcoxon, base), "cannot reach p below 0.0625"));
  wilcoxon.racing.alpha = 0.1;
  EXPECT_FALSE(mentions(checkSpec(wilcoxon, base), "cannot reach"));
  wilcoxon.racing.alpha = std::nan("");
  EXPECT_TRUE(mentions(checkSpec(wilcoxon, base), "alpha must lie between 0 and 1"));
  base.kfold.enabled = false;
  EXPECT_TRUE(mentions(checkSpec(spec, base), "kfold.enabled"));
}

TEST(SweepSpec, JsonRoundTripAndTrialConfig) {
  SweepSpec spec;
  spec.space = {parseDimension("train.lr=log:1e-4..1e-2"), parseDimension("train.scheduler=cosine,linear"),
                parseDimension("train.epochs=2..6")};
  spec.sampler = SamplerKind::QuasiRandom;
  spec.racing.test = RaceTest::Wilcoxon;
  spec.racing.alpha = 0.2;
  spec.maxSeconds = 3600;
  const auto back = specFromJson(toJson(spec));
  EXPECT_EQ(toJson(back), toJson(spec));
  EXPECT_EQ(back.sampler, SamplerKind::QuasiRandom);
  EXPECT_EQ(back.space[1].choices, spec.space[1].choices);

  const auto c = trialConfig(config::ExperimentConfig{}, {{"train.lr", "0.003"}, {"train.scheduler", "linear"}, {"train.epochs", "4"}});
  EXPECT_DOUBLE_EQ(c.train.learningRate, 0.003);
  EXPECT_EQ(config::formatValue(config::getField(c, "train.scheduler")), "linear");
  EXPECT_EQ(c.train.epochs, 4);
  EXPECT_THROW(trialConfig(config::ExperimentConfig{}, {{"train.epochs", "0"}}), std::invalid_argument);
}

}  // namespace
}  // namespace foldbench::sweep
