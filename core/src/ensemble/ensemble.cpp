#include "foldbench/ensemble/ensemble.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "foldbench/analysis/oof_predictions.h"
#include "foldbench/kfold/kfold_runner.h"
#include "foldbench/train/fold_trainer.h"
#include "foldbench/train/metrics.h"

namespace foldbench::ensemble {

namespace fs = std::filesystem;

RunMembers loadRun(const std::string& runDir) {
  RunMembers run;
  run.runDir = runDir;
  const std::string summaryPath = runDir + "/summary.json";
  if (!fs::exists(summaryPath)) throw std::runtime_error(runDir + " is not a run directory (no summary.json)");
  const auto summary = nlohmann::json::parse(std::ifstream(summaryPath));
  run.uid = summary.at("run_id").get<std::string>();
  run.config = config::loadConfig(runDir + "/config.json");
  run.labels = data::LabelMap::readFile(runDir + "/labels.tsv");
  for (const auto& f : summary.at("folds")) {
    if (f.at("best_epoch").get<int>() == 0) continue;
    run.folds.push_back({f.at("fold").get<int>(), runDir + "/" + f.at("checkpoint").get<std::string>(),
                         f.at("val_acc").get<double>()});
  }
  if (run.folds.empty()) throw std::runtime_error(runDir + " has no trained fold");
  auto oof = analysis::readOofPredictions(runDir + "/oof.tsv", true);
  if (oof.labels != run.labels.names())
    throw std::runtime_error(runDir + "/oof.tsv: its label columns differ from " + runDir + "/labels.tsv");
  run.oofIds = std::move(oof.ids);
  run.oofGold = std::move(oof.gold);
  run.oof = std::move(oof.probabilities);
  return run;
}

namespace {

void checkLabels(const std::vector<RunMembers>& runs) {
  if (runs.empty()) throw std::invalid_argument("an ensemble needs at least one run");
  for (const auto& r : runs)
    if (r.labels.names() != runs[0].labels.names())
      throw std::runtime_error("runs " + runs[0].uid + " and " + r.uid + " use different label maps");
}

MemberScore score(const std::string& name, const std::vector<int>& predicted, const std::vector<int>& gold, int noRelation) {
  return {name, train::accuracy(predicted, gold), train::microF1WithoutNoRelation(predicted, gold, noRelation)};
}

// Decisions with the fitted constant added to the no-relation class (when the map has one).
std::vector<int> decideWithNoRelationBias(const Probabilities& probabilities, const data::LabelMap& labels,
                                          const std::string& noRelationLabel, double biasValue) {
  std::vector<double> bias(static_cast<std::size_t>(labels.size()), 0.0);
  if (const auto id = labels.idOf(noRelationLabel)) bias[static_cast<std::size_t>(*id)] = biasValue;
  return decide(probabilities, bias);
}

// Soft or weighted combination of a run's folds: validation accuracy weights with Weighted.
std::vector<double> foldWeights(const RunMembers& run, Vote vote) {
  std::vector<double> w;
  for (const auto& f : run.folds) w.push_back(vote == Vote::Weighted ? std::max(1e-6, f.validationAccuracy) : 1.0);
  return w;
}

}  // namespace

OofReport evaluateOutOfFold(const std::vector<RunMembers>& runs, const EnsembleOptions& options) {
  checkLabels(runs);
  // Rows every run predicted, in the first run's order.
  std::vector<std::map<std::string, std::size_t>> index(runs.size());
  for (std::size_t r = 0; r < runs.size(); ++r)
    for (std::size_t i = 0; i < runs[r].oofIds.size(); ++i) index[r][runs[r].oofIds[i]] = i;
  std::vector<std::string> shared;
  for (const auto& id : runs[0].oofIds) {
    bool everywhere = true;
    for (const auto& m : index) everywhere = everywhere && m.count(id);
    if (everywhere) shared.push_back(id);
  }
  if (shared.empty()) throw std::runtime_error("the runs share no out-of-fold rows (trained on different data?)");
  std::vector<int> gold;
  for (const auto& id : shared) gold.push_back(runs[0].oofGold[index[0][id]]);
  std::vector<Probabilities> members(runs.size());
  for (std::size_t r = 0; r < runs.size(); ++r)
    for (const auto& id : shared) members[r].push_back(runs[r].oof[index[r][id]]);

  const int noRelation = runs[0].labels.idOf(options.noRelationLabel).value_or(-1);
  OofReport report;
  report.rows = shared.size();
  for (std::size_t r = 0; r < runs.size(); ++r)
    report.members.push_back(score(runs[r].uid, train::argmaxRows(members[r]), gold, noRelation));
  report.runWeights.assign(runs.size(), 1.0 / static_cast<double>(runs.size()));
  if (options.vote == Vote::Weighted) {
    if (options.runWeights == "val") {
      double total = 0.0;
      for (std::size_t r = 0; r < runs.size(); ++r) {
        double mean = 0.0;
        for (const auto& f : runs[r].folds) mean += f.validationAccuracy;
        report.runWeights[r] = mean / static_cast<double>(runs[r].folds.size());
        total += report.runWeights[r];
      }
      for (double& w : report.runWeights) w /= total;
    } else {
      report.runWeights = fitWeights(members, gold);
    }
  }
  std::vector<int> predicted;
  if (options.vote == Vote::Hard) {
    predicted = hardVote(members);
  } else {
    const auto combined = softVote(members, report.runWeights);
    if (options.fitPrior && noRelation >= 0) report.noRelationBias = fitClassBias(combined, gold, noRelation);
    predicted = decideWithNoRelationBias(combined, runs[0].labels, options.noRelationLabel, report.noRelationBias);
  }
  report.ensemble = score("ensemble", predicted, gold, noRelation);
  return report;
}

TestPrediction predictTest(const std::vector<RunMembers>& runs, const std::vector<data::Example>& rows,
                           const EnsembleOptions& options, const OofReport& report, int batchSize) {
  checkLabels(runs);
  TestPrediction out;
  std::vector<int> order(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) order[i] = static_cast<int>(i);
  std::vector<Probabilities> perRun, perFold;
  for (const auto& run : runs) {
    const std::string tokenizer = run.config.model.family == "ngram" ? "" : run.runDir + "/tokenizer.model";
    const auto inputs = kfold::encodeForRun(run.config, rows, run.labels, tokenizer);
    std::vector<Probabilities> folds;
    for (const auto& f : run.folds) folds.push_back(train::predictProbabilities(f.checkpoint, inputs, order, batchSize));
    out.members += static_cast<int>(folds.size());
    perRun.push_back(softVote(folds, foldWeights(run, options.vote)));
    perFold.insert(perFold.end(), folds.begin(), folds.end());
  }
  if (options.vote == Vote::Hard) {
    out.probabilities = softVote(perFold);
    out.predicted = hardVote(perFold);
    return out;
  }
  out.probabilities = softVote(perRun, report.runWeights);
  out.predicted = decideWithNoRelationBias(out.probabilities, runs[0].labels, options.noRelationLabel, report.noRelationBias);
  return out;
}

}  // namespace foldbench::ensemble
