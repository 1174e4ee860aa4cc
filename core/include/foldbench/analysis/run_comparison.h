#pragma once
// Two or more tracked runs side by side: parameters, fold scores, out-of-fold scores, and
// significance tests of each run against the first, or the reason no test applies. Shared by
// `foldbench-cli runs compare` and the window's Compare tab.
#include <optional>
#include <string>
#include <vector>

#include "foldbench/analysis/classification_report.h"
#include "foldbench/analysis/oof_predictions.h"
#include "foldbench/analysis/significance.h"
#include "foldbench/tracker/records.h"

namespace foldbench::analysis {

struct ComparedRun {
  tracker::RunDetail detail;
  std::optional<OofPredictions> oof;
  std::string oofProblem;  // why `oof` is missing
};

// The run's oof.tsv (its "oof" artifact, else <run dir>/oof.tsv), or the reason it cannot be read.
ComparedRun loadComparedRun(tracker::RunDetail detail);

struct ParameterRow {
  std::string key;
  std::vector<std::string> values;  // one per run; "" when a run lacks the parameter
  bool differs = false;
};

struct OofScore {
  bool available = false;
  double accuracy = 0.0, relationMicroF1 = 0.0;
  std::size_t rows = 0;
};

struct PairTests {
  std::size_t run = 0;  // compared with run 0 (the baseline)
  std::vector<std::string> foldsNotComparable;  // why there is no t-test; empty when there is one
  std::vector<std::string> rowsNotComparable;   // why there are no McNemar and bootstrap results
  std::optional<CorrectedTTest> tTest;          // on validation accuracy per fold
  std::optional<McNemarTest> mcnemar;           // on the out-of-fold predictions
  std::optional<BootstrapInterval> bootstrap;   // of the out-of-fold accuracy difference
};

struct RunComparison {
  std::vector<std::string> runs;  // uids
  std::vector<ParameterRow> parameters;
  std::vector<std::vector<std::optional<double>>> foldAccuracy;  // [fold][run] validation accuracy
  std::vector<OofScore> oof;
  std::vector<PairTests> tests;  // one per run after the first
};

// Out-of-fold micro-F1 leaves out each run's own data.no_relation_label; `noRelationLabel` is
// for runs recorded without that parameter.
RunComparison compareRuns(const std::vector<ComparedRun>& runs, const std::string& noRelationLabel = "관계_없음");

// The tests of one pair in plain sentences, one per test, saying why a test does not apply.
std::vector<std::string> describeTests(const RunComparison& comparison, const PairTests& tests);

}  // namespace foldbench::analysis
