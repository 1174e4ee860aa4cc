#include "foldbench/analysis/classification_report.h"

#include <gtest/gtest.h>

#include "foldbench/analysis/oof_predictions.h"
#include "temp_dir.h"

namespace foldbench::analysis {
namespace {

TEST(ClassificationReport, ConfusionAndPerClassScoresByHand) {
  const std::vector<std::string> labels = {"관계_없음", "a", "b"};
  //                                gold: n  n  a  a  a  b  b  b
  const std::vector<int> gold = {0, 0, 1, 1, 1, 2, 2, 2};
  const std::vector<int> predicted = {0, 1, 1, 1, 2, 2, 0, 2};
  const auto r = classificationReport(labels, gold, predicted);
  EXPECT_EQ(r.rows, 8);
  EXPECT_EQ(r.confusion[0][1], 1);
  EXPECT_EQ(r.confusion[1][2], 1);
  EXPECT_EQ(r.confusion[2][0], 1);
  std::int64_t total = 0;
  for (const auto& row : r.confusion)
    for (auto cell : row) total += cell;
  EXPECT_EQ(total, 8);
  EXPECT_DOUBLE_EQ(r.accuracy, 5.0 / 8.0);
  // a: predicted 3 times (2 right), 3 gold -> P 2/3, R 2/3.
  EXPECT_DOUBLE_EQ(r.classes[1].precision, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(r.classes[1].recall, 2.0 / 3.0);
  EXPECT_EQ(r.classes[1].support, 3);
  EXPECT_EQ(r.classes[1].predicted, 3);
  // KLUE micro-F1 without the no-relation class: 4 right of 6 relation predictions, 6 relation gold rows.
  EXPECT_DOUBLE_EQ(r.relationMicroF1, 4.0 / 6.0);
  // Without a no-relation label every class counts: micro-F1 equals accuracy.
  EXPECT_DOUBLE_EQ(classificationReport({"x", "a", "b"}, gold, predicted).relationMicroF1, 5.0 / 8.0);
  EXPECT_THROW(classificationReport(labels, {0, 3}, {0, 0}), std::invalid_argument);
}

TEST(OofPredictions, ReadsRowsAndNamesTheBadField) {
  testing::TempDir dir;
  const auto good = dir.write("oof.tsv", "id\tlabel\tfold\tx\ty\nr1\t1\t0\t0.2\t0.8\nr2\t0\t1\t0.9\t0.1\n");
  const auto oof = readOofPredictions(good, true);
  ASSERT_EQ(oof.size(), 2u);
  EXPECT_EQ(oof.labels, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(oof.predicted, (std::vector<int>{1, 0}));
  EXPECT_EQ(oof.folds, (std::vector<int>{0, 1}));
  EXPECT_EQ(oof.probabilities.size(), 2u);
  const auto bad = dir.write("bad.tsv", "id\tlabel\tfold\tx\ty\nr1\t1\t0\t0.2\t0.8\nr2\t0\t1\t0.9\tnope\n");
  try {
    readOofPredictions(bad);
    FAIL() << "a bad probability was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.tsv:3"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'y'"), std::string::npos) << e.what();
  }
  const auto label = dir.write("label.tsv", "id\tlabel\tfold\tx\ty\nr1\t7\t0\t0.2\t0.8\n");
  EXPECT_THROW(readOofPredictions(label), std::runtime_error);
  EXPECT_THROW(readOofPredictions(dir.file("missing.tsv")), std::runtime_error);
}

}  // namespace
}  // namespace foldbench::analysis
