#include "foldbench/analysis/run_comparison.h"

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

// Reasons fold scores of `a` and `b` cannot be paired; empty when they can.
std::vector<std::string> foldProblems(const ComparedRun& a, const ComparedRun& b) {
  std::vector<std::string> reasons;
  const auto& da = a.detail;
  const auto& db = b.detail;
  if (da.info.dataFingerprint != db.info.dataFingerprint)
    reasons.push_back("different training data (fingerprint " + shortText(da.info.dataFingerprint) + " vs " +
                      shortText(db.info.dataFingerprint) + ")");
  if (param(da, "kfold.folds") != param(db, "kfold.folds"))
    reasons.push_back("different fold counts (" + param(da, "kfold.folds") + " vs " + param(db, "kfold.folds") + ")");
  else if (param(da, "train.seed") != param(db, "train.seed") && !(a.oof && b.oof))
    reasons.push_back("different seeds (" + param(da, "train.seed") + " vs " + param(db, "train.seed") +
                      "), so different folds");
  if (a.oof && b.oof) {
    std::unordered_map<std::string, int> foldOf;
    for (std::size_t i = 0; i < a.oof->size(); ++i) foldOf[a.oof->ids[i]] = a.oof->folds[i];
    std::size_t moved = 0;
    for (std::size_t i = 0; i < b.oof->size(); ++i)
      if (const auto it = foldOf.find(b.oof->ids[i]); it != foldOf.end() && it->second != b.oof->folds[i]) ++moved;
    if (moved) reasons.push_back(std::to_string(moved) + " rows lie in different folds");
  }
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
std::vector<std::string> rowProblems(const ComparedRun& a, const ComparedRun& b) {
  std::vector<std::string> reasons;
  for (const auto* r : {&a, &b})
    if (!r->oof) reasons.push_back(r->detail.info.uid + " has no out-of-fold predictions (" + r->oofProblem + ")");
  if (!reasons.empty()) return reasons;
  if (a.oof->labels != b.oof->labels) reasons.push_back("different label maps");
  std::unordered_map<std::string, std::pair<int, int>> rowsOfA;  // id -> gold, fold
  for (std::size_t i = 0; i < a.oof->size(); ++i) rowsOfA[a.oof->ids[i]] = {a.oof->gold[i], a.oof->folds[i]};
  std::size_t missing = 0, relabelled = 0, moved = 0;
  for (std::size_t i = 0; i < b.oof->size(); ++i) {
    const auto it = rowsOfA.find(b.oof->ids[i]);
    if (it == rowsOfA.end()) ++missing;
    else relabelled += it->second.first != b.oof->gold[i], moved += it->second.second != b.oof->folds[i];
  }
  if (missing || a.oof->size() != b.oof->size())
    reasons.push_back("different rows (" + std::to_string(a.oof->size()) + " vs " + std::to_string(b.oof->size()) +
                      " out-of-fold rows, " + std::to_string(missing) + " not shared)");
  if (relabelled) reasons.push_back(std::to_string(relabelled) + " shared rows have different gold labels");
  if (moved) reasons.push_back(std::to_string(moved) + " rows lie in different folds");
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
      const auto report = classificationReport(r.oof->labels, r.oof->gold, r.oof->predicted, noRelationLabel);
      s = {true, report.accuracy, report.relationMicroF1, r.oof->size()};
    }
    c.oof.push_back(s);
  }
  for (std::size_t i = 1; i < runs.size(); ++i) {
    PairTests t;
    t.run = i;
    const auto& a = runs[0];
    const auto& b = runs[i];
    t.foldsNotComparable = foldProblems(a, b);
    if (t.foldsNotComparable.empty()) {
      const auto scoresA = foldAccuracies(a.detail);
      // n_test / n_train of k-fold cross-validation is 1/(k-1).
      const double k = util::parseDouble(param(a.detail, "kfold.folds")).value_or(0.0);
      const double ratio = 1.0 / ((k > 1.0 ? k : static_cast<double>(scoresA.size())) - 1.0);
      t.tTest = correctedResampledTTest(scoresA, foldAccuracies(b.detail), ratio);
    }
    t.rowsNotComparable = rowProblems(a, b);
    if (t.rowsNotComparable.empty()) {
      std::unordered_map<std::string, std::size_t> rowOfB;
      for (std::size_t k = 0; k < b.oof->size(); ++k) rowOfB[b.oof->ids[k]] = k;
      std::vector<bool> correctA, correctB;
      for (std::size_t k = 0; k < a.oof->size(); ++k) {
        const auto j = rowOfB.at(a.oof->ids[k]);
        correctA.push_back(a.oof->predicted[k] == a.oof->gold[k]);
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
