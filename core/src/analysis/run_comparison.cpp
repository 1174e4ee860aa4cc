#include "foldbench/analysis/run_comparison.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>

#include "foldbench/util/numbers.h"

namespace foldbench::analysis {

namespace {

std::string oofPath(const tracker::RunDetail& d) {
  for (const auto& a : d.artifacts)
    if (a.kind == "oof") return a.path;
  return d.info.runDir.empty() ? std::string() : d.info.runDir + "/oof.tsv";
}

std::string param(const tracker::RunDetail& d, const std::string& key) {
  const auto it = d.params.find(key);
  return it == d.params.end() ? std::string() : it->second;
}

std::string signedFixed(double v, int digits = 4) {
  return (v >= 0 ? "+" : "") + util::formatFixed(v, digits);
}

std::string pText(double p) { return p < 1e-4 ? "p < 0.0001" : "p = " + util::formatFixed(p, 4); }

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
  return out;
}

std::string shortText(const std::string& s) { return s.size() > 12 ? s.substr(0, 12) + "…" : s; }

// The rows two runs' out-of-fold predictions share, matched by id once for every check and test.
struct RowPairing {
  std::size_t missing = 0;     // rows of b that a lacks
  std::size_t relabelled = 0;  // shared rows whose gold labels differ
  std::size_t moved = 0;       // shared rows in different folds
  std::vector<std::pair<std::size_t, std::size_t>> shared;  // (row in a, row in b), in a's order
};

RowPairing pairRows(const OofPredictions& a, const OofPredictions& b) {
  RowPairing p;
  std::unordered_map<std::string, std::size_t> rowOfA;
  for (std::size_t i = 0; i < a.size(); ++i) rowOfA[a.ids[i]] = i;
  for (std::size_t j = 0; j < b.size(); ++j) {
    const auto it = rowOfA.find(b.ids[j]);
    if (it == rowOfA.end()) {
      ++p.missing;
      continue;
    }
    const auto i = it->second;
    p.relabelled += a.gold[i] != b.gold[j];
    p.moved += a.folds[i] != b.folds[j];
    p.shared.emplace_back(i, j);
  }
  std::sort(p.shared.begin(), p.shared.end());
  return p;
}

// Reasons fold scores of `a` and `b` cannot be paired; empty when they can. `rows` is set when
// both runs have out-of-fold predictions.
std::vector<std::string> foldProblems(const ComparedRun& a, const ComparedRun& b, const std::optional<RowPairing>& rows) {
  std::vector<std::string> reasons;
  const auto& da = a.detail;
  const auto& db = b.detail;
  if (da.info.dataFingerprint != db.info.dataFingerprint)
    reasons.push_back("different training data (fingerprint " + shortText(da.info.dataFingerprint) + " vs " +
                      shortText(db.info.dataFingerprint) + ")");
  if (param(da, "kfold.folds") != param(db, "kfold.folds"))
    reasons.push_back("different fold counts (" + param(da, "kfold.folds") + " vs " + param(db, "kfold.folds") + ")");
  else if (param(da, "train.seed") != param(db, "train.seed") && !rows)
    reasons.push_back("different seeds (" + param(da, "train.seed") + " vs " + param(db, "train.seed") +
                      "), so different folds");
  if (rows && rows->moved) reasons.push_back(std::to_string(rows->moved) + " rows lie in different folds");
  std::set<int> finishedA, finishedB;
  for (const auto& f : da.folds)
    if (f.trained()) finishedA.insert(f.fold);
  for (const auto& f : db.folds)
    if (f.trained()) finishedB.insert(f.fold);
  if (finishedA != finishedB || finishedA.size() < 2)
    reasons.push_back("the runs did not both finish the same two or more folds");
  return reasons;
}

// Reasons out-of-fold predictions of `a` and `b` cannot be paired row by row.
std::vector<std::string> rowProblems(const ComparedRun& a, const ComparedRun& b, const std::optional<RowPairing>& rows) {
  std::vector<std::string> reasons;
  for (const auto* r : {&a, &b})
    if (!r->oof) reasons.push_back(r->detail.info.uid + " has no out-of-fold predictions (" + r->oofProblem + ")");
  if (!rows) return reasons;
  if (a.oof->labels != b.oof->labels) reasons.push_back("different label maps");
  if (rows->missing || a.oof->size() != b.oof->size())
    reasons.push_back("different rows (" + std::to_string(a.oof->size()) + " vs " + std::to_string(b.oof->size()) +
                      " out-of-fold rows, " + std::to_string(rows->missing) + " not shared)");
  if (rows->relabelled) reasons.push_back(std::to_string(rows->relabelled) + " shared rows have different gold labels");
  if (rows->moved) reasons.push_back(std::to_string(rows->moved) + " rows lie in different folds");
  return reasons;
}

std::vector<double> foldAccuracies(const tracker::RunDetail& d) {
  std::map<int, double> byFold;
  for (const auto& f : d.folds)
    if (f.trained()) byFold[f.fold] = f.validationAccuracy;
  std::vector<double> out;
  for (const auto& [fold, accuracy] : byFold) out.push_back(accuracy);
  return out;
}

}  // namespace

ComparedRun loadComparedRun(tracker::RunDetail detail) {
  ComparedRun run;
  run.detail = std::move(detail);
  const auto path = oofPath(run.detail);
  if (path.empty()) run.oofProblem = "no run directory recorded";
  else if (!std::filesystem::exists(path)) run.oofProblem = path + " does not exist";
  else {
    try {
      run.oof = readOofPredictions(path);
    } catch (const std::exception& e) {
      run.oofProblem = e.what();
    }
  }
  return run;
}

RunComparison compareRuns(const std::vector<ComparedRun>& runs, const std::string& noRelationLabel) {
  RunComparison c;
  std::set<std::string> keys;
  for (const auto& r : runs) {
    c.runs.push_back(r.detail.info.uid);
    for (const auto& [key, value] : r.detail.params) keys.insert(key);
  }
  for (const auto& key : keys) {
    ParameterRow row{key, {}, false};
    for (const auto& r : runs) row.values.push_back(param(r.detail, key));
    for (const auto& v : row.values) row.differs = row.differs || v != row.values.front();
    c.parameters.push_back(std::move(row));
  }
  int maxFold = -1;
  for (const auto& r : runs)
    for (const auto& f : r.detail.folds) maxFold = std::max(maxFold, f.fold);
  c.foldAccuracy.assign(static_cast<std::size_t>(maxFold + 1), std::vector<std::optional<double>>(runs.size()));
  for (std::size_t r = 0; r < runs.size(); ++r)
    for (const auto& f : runs[r].detail.folds)
      if (f.trained()) c.foldAccuracy[static_cast<std::size_t>(f.fold)][r] = f.validationAccuracy;
  for (const auto& r : runs) {
    OofScore s;
    if (r.oof) {
      // Each run leaves out its own no-relation class (KLUE JSON data names it "no_relation").
      const auto own = param(r.detail, "data.no_relation_label");
      const auto report =
          classificationReport(r.oof->labels, r.oof->gold, r.oof->predicted, own.empty() ? noRelationLabel : own);
      s = {true, report.accuracy, report.relationMicroF1, r.oof->size()};
    }
    c.oof.push_back(s);
  }
  for (std::size_t i = 1; i < runs.size(); ++i) {
    PairTests t;
    t.run = i;
    const auto& a = runs[0];
    const auto& b = runs[i];
    std::optional<RowPairing> rows;
    if (a.oof && b.oof) rows = pairRows(*a.oof, *b.oof);
    t.foldsNotComparable = foldProblems(a, b, rows);
    if (t.foldsNotComparable.empty()) {
      const auto scoresA = foldAccuracies(a.detail);
      // n_test / n_train of k-fold cross-validation is 1/(k-1).
      const double k = util::parseDouble(param(a.detail, "kfold.folds")).value_or(0.0);
      const double ratio = 1.0 / ((k > 1.0 ? k : static_cast<double>(scoresA.size())) - 1.0);
      t.tTest = correctedResampledTTest(scoresA, foldAccuracies(b.detail), ratio);
    }
    t.rowsNotComparable = rowProblems(a, b, rows);
    if (t.rowsNotComparable.empty()) {
      std::vector<bool> correctA, correctB;
      for (const auto& [i, j] : rows->shared) {
        correctA.push_back(a.oof->predicted[i] == a.oof->gold[i]);
        correctB.push_back(b.oof->predicted[j] == b.oof->gold[j]);
      }
      t.mcnemar = mcnemarTest(correctA, correctB);
      t.bootstrap = pairedBootstrap(correctA, correctB);
    }
    c.tests.push_back(std::move(t));
  }
  return c;
}

std::vector<std::string> describeTests(const RunComparison& c, const PairTests& t) {
  std::vector<std::string> lines;
  const std::string pair = c.runs.at(t.run) + " vs " + c.runs.at(0);
  if (t.tTest) {
    const auto& r = *t.tTest;
    lines.push_back("corrected resampled t-test on " + std::to_string(r.folds) + " paired folds (" + pair +
                    "): mean val acc difference " + signedFixed(r.meanDifference) + ", " +
                    util::formatFixed(r.level * 100, 0) + "% CI [" + signedFixed(r.confidence.low) + ", " +
                    signedFixed(r.confidence.high) + "], t = " + util::formatFixed(r.t, 3) + ", " + pText(r.pValue));
  } else {
    lines.push_back("corrected resampled t-test: not comparable: " + joined(t.foldsNotComparable));
  }
  if (t.mcnemar && t.bootstrap) {
    const auto& m = *t.mcnemar;
    lines.push_back("McNemar on out-of-fold predictions (" + pair + "): " + std::to_string(m.onlyB) + " rows only " +
                    c.runs.at(t.run) + " got right, " + std::to_string(m.onlyA) + " only " + c.runs.at(0) + ", " +
                    (m.exact ? "exact binomial, " : "chi-square " + util::formatFixed(m.statistic, 3) + ", ") + pText(m.pValue));
    const auto& b = *t.bootstrap;
    lines.push_back("paired bootstrap of the out-of-fold accuracy difference (" + std::to_string(b.resamples) +
                    " resamples): " + signedFixed(b.difference) + ", " + util::formatFixed(b.level * 100, 0) + "% CI [" +
                    signedFixed(b.confidence.low) + ", " + signedFixed(b.confidence.high) + "]");
  } else {
    lines.push_back("McNemar and bootstrap: not comparable: " + joined(t.rowsNotComparable));
  }
  return lines;
}

}  // namespace foldbench::analysis
