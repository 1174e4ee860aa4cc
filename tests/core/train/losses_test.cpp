#include <gtest/gtest.h>

#include <cmath>

#include "losses.h"

namespace foldbench::train {
namespace {

// logits [[2, 0, 0]] label 0: p = e^2 / (e^2 + 2)
const double kP0 = std::exp(2.0) / (std::exp(2.0) + 2.0);
const double kP1 = 1.0 / (std::exp(2.0) + 2.0);

torch::Tensor logits() { return torch::tensor({{2.0f, 0.0f, 0.0f}, {2.0f, 0.0f, 0.0f}}); }

TEST(Losses, CrossEntropyMatchesHandComputation) {
  LossSpec spec;
  const auto loss = classificationLoss(logits(), torch::tensor({0L, 1L}), spec).item<double>();
  EXPECT_NEAR(loss, (-std::log(kP0) - std::log(kP1)) / 2, 1e-6);
}

TEST(Losses, LabelSmoothingMixesInTheUniformTarget) {
  LossSpec spec;
  spec.labelSmoothing = 0.1;
  const auto loss = classificationLoss(logits(), torch::tensor({0L, 0L}), spec).item<double>();
  const double meanNegLogP = -(std::log(kP0) + 2 * std::log(kP1)) / 3;
  EXPECT_NEAR(loss, 0.9 * -std::log(kP0) + 0.1 * meanNegLogP, 1e-6);
}

TEST(Losses, FocalLossDownWeightsEasyExamples) {
  LossSpec spec;
  spec.kind = config::LossKind::Focal;
  spec.focalGamma = 2.0;
  const auto loss = classificationLoss(logits(), torch::tensor({0L, 1L}), spec).item<double>();
  const double expected =
      (std::pow(1 - kP0, 2) * -std::log(kP0) + std::pow(1 - kP1, 2) * -std::log(kP1)) / 2;
  EXPECT_NEAR(loss, expected, 1e-6);
  spec.focalGamma = 0.0;
  EXPECT_NEAR(classificationLoss(logits(), torch::tensor({0L, 1L}), spec).item<double>(),
              (-std::log(kP0) - std::log(kP1)) / 2, 1e-6)
      << "gamma 0 is plain cross-entropy";
}

TEST(Losses, WeightedCrossEntropyIsAWeightedMean) {
  LossSpec spec;
  spec.kind = config::LossKind::WeightedCrossEntropy;
  spec.classWeights = torch::tensor({1.0f, 3.0f, 1.0f});
  const auto loss = classificationLoss(logits(), torch::tensor({0L, 1L}), spec).item<double>();
  EXPECT_NEAR(loss, (1 * -std::log(kP0) + 3 * -std::log(kP1)) / 4, 1e-6);
  const auto w = inverseFrequencyWeights({0, 0, 0, 1}, 3);
  EXPECT_NEAR(w[1].item<float>() / w[0].item<float>(), 3.0f, 1e-5);
  EXPECT_EQ(w[2].item<float>(), 0.0f);
}

}  // namespace
}  // namespace foldbench::train
