#include "foldbench/analysis/run_comparison.h"

#include <gtest/gtest.h>

#include <sstream>

#include "temp_dir.h"

namespace foldbench::analysis {
namespace {

// A run of `folds` folds over rows r0..r{n-1} (fold = i % folds, gold = i % 2) whose
// predictions are right except on the rows in `wrong`.
tracker::RunDetail makeRun(const testing::TempDir& dir, const std::string& uid, int folds, int n,
                           const std::vector<int>& wrong, const std::vector<std::string>& labels = {"관계_없음", "a"}) {
  std::ostringstream oof;
  oof << "id\tlabel\tfold";
  for (const auto& l : labels) oof << '\t' << l;
  oof << '\n';
  std::vector<int> rightPerFold(static_cast<std::size_t>(folds)), rowsPerFold(static_cast<std::size_t>(folds));
  for (int i = 0; i < n; ++i) {
    const int gold = i % 2;
    const bool isWrong = std::find(wrong.begin(), wrong.end(), i) != wrong.end();
    const int predicted = isWrong ? 1 - gold : gold;
    oof << 'r' << i << '\t' << gold << '\t' << i % folds << '\t' << (predicted == 0 ? "0.9\t0.1" : "0.1\t0.9") << '\n';
    ++rowsPerFold[static_cast<std::size_t>(i % folds)];
    rightPerFold[static_cast<std::size_t>(i % folds)] += !isWrong;
  }
  tracker::RunDetail d;
  d.info.uid = uid;
  d.info.dataFingerprint = "data-1";
  d.info.runDir = dir.path();
  d.artifacts.push_back({dir.write(uid + "-oof.tsv", oof.str()), "oof", 0, ""});
  d.params = {{"kfold.folds", std::to_string(folds)}, {"train.seed", "42"}, {"optimizer.lr", "0.001"}};
  for (int f = 0; f < folds; ++f)
    d.folds.push_back({f, "finished", 1, 0.9,
                       static_cast<double>(rightPerFold[static_cast<std::size_t>(f)]) / rowsPerFold[static_cast<std::size_t>(f)],
                       0.0, 0.0, ""});
  return d;
}

TEST(RunComparison, PairedTestsOnComparableRuns) {
  testing::TempDir dir;
  auto a = loadComparedRun(makeRun(dir, "run-a", 5, 100, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 13}));
  auto bDetail = makeRun(dir, "run-b", 5, 100, {0, 1, 2});
  bDetail.params["optimizer.lr"] = "0.0005";
  auto b = loadComparedRun(bDetail);
  ASSERT_TRUE(a.oof && b.oof) << a.oofProblem << b.oofProblem;
  const auto c = compareRuns({a, b});
  ASSERT_EQ(c.tests.size(), 1u);
  const auto& t = c.tests[0];
  EXPECT_TRUE(t.foldsNotComparable.empty());
  EXPECT_TRUE(t.rowsNotComparable.empty());
  ASSERT_TRUE(t.tTest && t.mcnemar && t.bootstrap);
  EXPECT_EQ(t.tTest->folds, 5);
  EXPECT_NEAR(t.tTest->meanDifference, 0.09, 1e-12);  // 9 more right rows of 100, 20 per fold
  EXPECT_EQ(t.mcnemar->onlyA, 0);
  EXPECT_EQ(t.mcnemar->onlyB, 9);
  EXPECT_NEAR(t.mcnemar->pValue, 2.0 / 512.0, 1e-12);
  EXPECT_NEAR(t.bootstrap->difference, 0.09, 1e-12);
  EXPECT_NEAR(c.oof[0].accuracy, 0.88, 1e-12);
  EXPECT_NEAR(c.oof[1].accuracy, 0.97, 1e-12);
  int differing = 0;
  for (const auto& p : c.parameters) differing += p.differs;
  EXPECT_EQ(differing, 1);
  ASSERT_EQ(c.foldAccuracy.size(), 5u);
  EXPECT_TRUE(c.foldAccuracy[4][1].has_value());
}

TEST(RunComparison, RefusesRunsOnDifferentDataFoldsOrLabels) {
  testing::TempDir dir;
  const auto a = loadComparedRun(makeRun(dir, "a", 5, 100, {1}));
  auto otherData = makeRun(dir, "b", 5, 100, {2});
  otherData.info.dataFingerprint = "data-2";
  const auto c1 = compareRuns({a, loadComparedRun(otherData)});
  EXPECT_FALSE(c1.tests[0].tTest.has_value());
  ASSERT_FALSE(c1.tests[0].foldsNotComparable.empty());
  EXPECT_NE(c1.tests[0].foldsNotComparable[0].find("different training data"), std::string::npos);

  const auto otherFolds = loadComparedRun(makeRun(dir, "c", 4, 100, {2}));
  const auto c2 = compareRuns({a, otherFolds});
  EXPECT_FALSE(c2.tests[0].tTest.has_value());
  EXPECT_FALSE(c2.tests[0].mcnemar.has_value());  // rows lie in other folds
  EXPECT_FALSE(c2.tests[0].rowsNotComparable.empty());

  const auto otherLabels = loadComparedRun(makeRun(dir, "d", 5, 100, {2}, {"관계_없음", "z"}));
  const auto c3 = compareRuns({a, otherLabels});
  EXPECT_FALSE(c3.tests[0].mcnemar.has_value());
  EXPECT_EQ(c3.tests[0].rowsNotComparable[0], "different label maps");

  const auto fewerRows = loadComparedRun(makeRun(dir, "e", 5, 90, {2}));
  EXPECT_FALSE(compareRuns({a, fewerRows}).tests[0].bootstrap.has_value());

  auto noOof = makeRun(dir, "f", 5, 100, {2});
  noOof.artifacts.clear();
  noOof.info.runDir = dir.file("gone");
  const auto missing = loadComparedRun(noOof);
  EXPECT_FALSE(missing.oof.has_value());
  const auto c4 = compareRuns({a, missing});
  EXPECT_FALSE(c4.tests[0].mcnemar.has_value());
  EXPECT_NE(c4.tests[0].rowsNotComparable[0].find("no out-of-fold predictions"), std::string::npos);
}

TEST(RunComparison, MicroF1LeavesOutEachRunsOwnNoRelationLabel) {
  // KLUE JSON data labels the class "no_relation", named in data.no_relation_label: its micro-F1
  // must leave that class out, not the Korean default (which would make it equal accuracy).
  testing::TempDir dir;
  auto klueDetail = makeRun(dir, "run-klue", 2, 8, {0}, {"no_relation", "a"});
  klueDetail.params["data.no_relation_label"] = "no_relation";
  const auto klue = loadComparedRun(klueDetail);
  const auto korean = loadComparedRun(makeRun(dir, "run-ko", 2, 8, {0}));  // no such parameter: the default
  ASSERT_TRUE(klue.oof && korean.oof);
  const auto c = compareRuns({korean, klue});
  ASSERT_EQ(c.oof.size(), 2u);
  // Row 0 (no relation) said to be "a": 7 of 8 right; class "a" 4 of 4 found among 5 said,
  // micro-F1 2 * 4/5 * 1 / (4/5 + 1) = 8/9, whatever the no-relation class is named.
  for (const auto& o : c.oof) {
    EXPECT_DOUBLE_EQ(o.accuracy, 7.0 / 8.0);
    EXPECT_NEAR(o.relationMicroF1, 8.0 / 9.0, 1e-12);
  }
}

}  // namespace
}  // namespace foldbench::analysis
