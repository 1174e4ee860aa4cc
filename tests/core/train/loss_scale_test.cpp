// fp16 loss scaling: an overflowed step is skipped and the scale halved, clean steps grow it, and
// unscaling finds infinite and NaN gradients.
#include <gtest/gtest.h>

#include <limits>

#include "optimizer.h"

namespace foldbench::train {
namespace {

TEST(LossScale, HalvesOnOverflowAndDoublesAfterCleanSteps) {
  LossScale s;
  s.growthInterval = 3;
  s.update(false);
  EXPECT_EQ(s.scale, 32768.0);
  EXPECT_EQ(s.skippedSteps, 1);
  s.update(true);
  s.update(true);
  EXPECT_EQ(s.scale, 32768.0);
  s.update(true);
  EXPECT_EQ(s.scale, 65536.0);
  s.update(true);
  s.update(false);  // an overflow restarts the count of clean steps
  s.update(true);
  s.update(true);
  EXPECT_EQ(s.scale, 32768.0);
}

TEST(LossScale, UnscalingDividesGradientsAndReportsOverflow) {
  torch::nn::Linear layer(2, 1);
  TrainingOptimizer optimizer(*layer, {}, 0.0);
  const auto x = torch::tensor({{1.0f, 2.0f}});
  (layer(x).sum() * 1024.0).backward();
  const auto scaled = layer->weight.grad().clone();
  EXPECT_TRUE(optimizer.unscaleGradients(1024.0));
  EXPECT_TRUE(torch::allclose(layer->weight.grad(), scaled / 1024.0));
  optimizer.zeroGrad();
  (layer(torch::tensor({{std::numeric_limits<float>::infinity(), 0.0f}})).sum()).backward();
  EXPECT_FALSE(optimizer.unscaleGradients(2.0));
}

}  // namespace
}  // namespace foldbench::train
