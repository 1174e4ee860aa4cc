// The time-per-epoch estimate the window shows beside a model folder, against numbers worked by hand.
#include <gtest/gtest.h>

#include "foldbench/pretrained/training_estimate.h"

namespace foldbench::pretrained {
namespace {

EncoderConfig sizes(std::int64_t layers, std::int64_t hidden, std::int64_t intermediate) {
  EncoderConfig c;
  c.numHiddenLayers = layers;
  c.hiddenSize = hidden;
  c.intermediateSize = intermediate;
  return c;
}

TEST(TrainingEstimate, TinyEncoderByHand) {
  // h 2, f 4, 1 layer, 3 tokens: per token 2 * (4*4 + 2*2*4) + 4*3*2 = 64 + 24 = 88; x 3 tokens = 264.
  const auto c = sizes(1, 2, 4);
  EXPECT_DOUBLE_EQ(forwardFlops(c, 3), 264.0);
  EXPECT_DOUBLE_EQ(trainingFlopsPerRow(c, 3), 792.0);
  // 10 rows in 5 folds: 8 train; 1 GFLOP/s at half efficiency: 8 * 792 / 5e8 s.
  EXPECT_DOUBLE_EQ(trainRowsPerFold(10, 5), 8.0);
  EXPECT_DOUBLE_EQ(estimateEpochSeconds(c, {8.0, 3.0, 1.0, 0.5}), 8.0 * 792.0 / 5e8);
}

TEST(TrainingEstimate, BertBaseOnKlueIsHoursOnACpu) {
  // bert-base: 12 x 768, feed-forward 3072; 64 tokens:
  // per token and layer 2 * (4 * 768^2 + 2 * 768 * 3072) + 4 * 64 * 768 = 14,155,776 + 196,608 = 14,352,384;
  // forward 64 * 12 * 14,352,384 = 11,022,630,912; training 3x = 33,067,892,736.
  const auto c = sizes(12, 768, 3072);
  EXPECT_DOUBLE_EQ(forwardFlops(c, 64), 11022630912.0);
  EXPECT_DOUBLE_EQ(trainingFlopsPerRow(c, 64), 33067892736.0);
  // KLUE-RE's 32,470 rows in 5 folds: 25,976 train. sgemm 100 GFLOP/s x 28%: 28e9 FLOP/s.
  const double rows = trainRowsPerFold(32470, 5);
  EXPECT_DOUBLE_EQ(rows, 25976.0);
  const double seconds = estimateEpochSeconds(c, {rows, 64, 100.0, 0.28});
  EXPECT_NEAR(seconds, 25976.0 * 33067892736.0 / 28e9, 1e-6);
  EXPECT_NEAR(seconds, 30677.6, 0.1);  // about 8.5 hours per epoch
}

TEST(TrainingEstimate, KFoldOffUsesTheValidationShareAndUnknownsGiveZero) {
  EXPECT_DOUBLE_EQ(trainRowsPerFold(100, 1, 0.2), 80.0);
  EXPECT_DOUBLE_EQ(trainRowsPerFold(100, 0, 0.0), 100.0);
  const auto c = sizes(2, 32, 37);
  EXPECT_EQ(estimateEpochSeconds(c, {100, 20, 0.0}), 0.0);  // no BLAS measured
  EXPECT_EQ(estimateEpochSeconds(c, {0, 20, 50.0}), 0.0);   // no rows yet
  EXPECT_GT(estimateEpochSeconds(c, {100, 20, 50.0}), 0.0);
}

}  // namespace
}  // namespace foldbench::pretrained
