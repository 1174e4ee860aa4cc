#include <gtest/gtest.h>

#include <cmath>

#include "foldbench/train/schedule.h"

namespace foldbench::train {
namespace {

constexpr double kPi = 3.14159265358979323846;

ScheduleSpec spec(const char* kind) {
  ScheduleSpec s;
  s.kind = enumFromString<config::Scheduler>(kind);
  s.peakLr = 1e-3;
  s.minLr = 1e-5;
  s.warmupSteps = 10;
  s.totalSteps = 110;
  s.stepsPerEpoch = 20;
  s.restartEpochs = 2;
  s.stepEpochs = 1;
  s.gamma = 0.5;
  return s;
}

TEST(Schedule, WarmupIsLinearToThePeak) {
  for (const char* kind : {"constant", "linear", "cosine", "cosine_restarts", "step"}) {
    EXPECT_DOUBLE_EQ(learningRateAt(spec(kind), 0), 1e-4) << kind;
    EXPECT_DOUBLE_EQ(learningRateAt(spec(kind), 4), 5e-4) << kind;
    EXPECT_DOUBLE_EQ(learningRateAt(spec(kind), 9), 1e-3) << kind;
  }
}

TEST(Schedule, ConstantAndLinear) {
  EXPECT_DOUBLE_EQ(learningRateAt(spec("constant"), 77), 1e-3);
  // linear: peak * (T - W - after) / (T - W), after = step - W
  EXPECT_DOUBLE_EQ(learningRateAt(spec("linear"), 10), 1e-3);
  EXPECT_DOUBLE_EQ(learningRateAt(spec("linear"), 60), 1e-3 * 50 / 100);
  EXPECT_DOUBLE_EQ(learningRateAt(spec("linear"), 110), 0.0);
}

TEST(Schedule, CosineDecaysToTheFloor) {
  const auto s = spec("cosine");
  EXPECT_DOUBLE_EQ(learningRateAt(s, 10), 1e-3);
  EXPECT_NEAR(learningRateAt(s, 35), 1e-5 + (1e-3 - 1e-5) * 0.5 * (1 + std::cos(kPi * 0.25)), 1e-15);
  EXPECT_NEAR(learningRateAt(s, 60), 1e-5 + (1e-3 - 1e-5) * 0.5, 1e-15);
  EXPECT_NEAR(learningRateAt(s, 110), 1e-5, 1e-15);
  EXPECT_NEAR(learningRateAt(s, 500), 1e-5, 1e-15) << "stays at the floor past the end";
}

TEST(Schedule, CosineRestartsEveryCycle) {
  const auto s = spec("cosine_restarts");  // cycle = 2 epochs * 20 steps = 40
  EXPECT_DOUBLE_EQ(learningRateAt(s, 10), 1e-3);
  EXPECT_NEAR(learningRateAt(s, 30), 1e-5 + (1e-3 - 1e-5) * 0.5, 1e-15);
  EXPECT_DOUBLE_EQ(learningRateAt(s, 50), 1e-3) << "restart";
  EXPECT_NEAR(learningRateAt(s, 60), 1e-5 + (1e-3 - 1e-5) * 0.5 * (1 + std::cos(kPi * 0.25)), 1e-15);
}

TEST(Schedule, StepDecay) {
  const auto s = spec("step");  // interval = 20 steps
  EXPECT_DOUBLE_EQ(learningRateAt(s, 29), 1e-3);
  EXPECT_DOUBLE_EQ(learningRateAt(s, 30), 5e-4);
  EXPECT_DOUBLE_EQ(learningRateAt(s, 75), 1.25e-4);
}

TEST(Schedule, WarmupFromRatioOrSteps) {
  EXPECT_EQ(warmupStepsFor(0.1, 0, 95), 10);
  EXPECT_EQ(warmupStepsFor(0.1, 500, 95), 500);
  EXPECT_EQ(warmupStepsFor(0.0, 0, 95), 0);
  EXPECT_THROW(learningRateAt(spec("exponential"), 20), std::invalid_argument);
}

}  // namespace
}  // namespace foldbench::train
