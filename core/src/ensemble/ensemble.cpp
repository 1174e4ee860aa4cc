#include "foldbench/ensemble/ensemble.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <unordered_map>
#include <nlohmann/json.hpp>

#include "foldbench/analysis/classification_report.h"
#include "foldbench/analysis/oof_predictions.h"
#include "foldbench/train/metrics.h"
#include "foldbench/util/pruned_run.h"

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
  run.oofFolds = std::move(oof.folds);
  run.oof = std::move(oof.probabilities);
  run.prunedNote = util::prunedNote(runDir);
  return run;
}

void checkSameLabelMaps(const std::vector<RunMembers>& runs) {
  if (runs.empty()) throw std::invalid_argument("an ensemble needs at least one run");
  for (const auto& r : runs)
    if (r.labels.names() != runs[0].labels.names())
      throw std::runtime_error("runs " + runs[0].uid + " and " + r.uid + " use different label maps");
}

namespace {

MemberScore score(const std::string& name, const std::vector<int>& predicted, const std::vector<int>& gold, int noRelation) {
  return {name, train::accuracy(predicted, gold), train::microF1WithoutNoRelation(predicted, gold, noRelation)};
}

// The out-of-fold rows every run predicted, aligned across runs.
struct SharedRows {
  std::vector<std::string> ids;
  std::vector<int> gold, folds;
  std::vector<Probabilities> members;  // [run][row]
};

SharedRows shareRows(const std::vector<RunMembers>& runs) {
  std::vector<std::unordered_map<std::string, std::size_t>> index(runs.size());
  for (std::size_t r = 0; r < runs.size(); ++r)
    for (std::size_t i = 0; i < runs[r].oofIds.size(); ++i) index[r][runs[r].oofIds[i]] = i;
  SharedRows shared;
  shared.members.resize(runs.size());
  for (std::size_t i = 0; i < runs[0].oofIds.size(); ++i) {
    const auto& id = runs[0].oofIds[i];
    bool everywhere = true;
    for (const auto& m : index) everywhere = everywhere && m.count(id);
    if (!everywhere) continue;
    for (std::size_t r = 1; r < runs.size(); ++r)
      if (runs[r].oofGold[index[r][id]] != runs[0].oofGold[i])
        throw std::runtime_error("runs " + runs[0].uid + " and " + runs[r].uid + " disagree on the gold label of row '" +
                                 id + "' (" + runs[0].labels.nameOf(runs[0].oofGold[i]) + " vs " +
                                 runs[r].labels.nameOf(runs[r].oofGold[index[r][id]]) + "): trained on different data?");
    shared.ids.push_back(id);
    shared.gold.push_back(runs[0].oofGold[i]);
    shared.folds.push_back(runs[0].oofFolds.empty() ? 0 : runs[0].oofFolds[i]);
    for (std::size_t r = 0; r < runs.size(); ++r) shared.members[r].push_back(runs[r].oof[index[r][id]]);
  }
  if (shared.ids.empty()) throw std::runtime_error("the runs share no out-of-fold rows (trained on different data?)");
  return shared;
}

struct Fit {
  std::vector<double> runWeights;
  std::vector<int> selectionCounts;  // RunWeights::Greedy
  double bias = 0.0;
};

// What the options fit, on the given rows only.
Fit fitOn(const std::vector<RunMembers>& runs, const std::vector<Probabilities>& members, const std::vector<int>& gold,
          const EnsembleOptions& options, int noRelation) {
  Fit fit;
  fit.runWeights.assign(runs.size(), 1.0 / static_cast<double>(runs.size()));
  if (options.vote == Vote::Weighted) {
    if (options.runWeights == RunWeights::ValidationMean) {
      double total = 0.0;
      for (std::size_t r = 0; r < runs.size(); ++r) {
        double mean = 0.0;
        for (const auto& f : runs[r].folds) mean += f.validationAccuracy;
        fit.runWeights[r] = mean / static_cast<double>(runs[r].folds.size());
        total += fit.runWeights[r];
      }
      for (double& w : fit.runWeights) w /= total;
    } else if (options.runWeights == RunWeights::Greedy) {
      fit.selectionCounts = greedySelect(members, gold, options.fitMetric, noRelation, options.greedy).counts;
      fit.runWeights = selectionWeights(fit.selectionCounts);
    } else {
      fit.runWeights = fitWeights(members, gold, options.fitMetric, noRelation);
    }
  }
  if (options.vote != Vote::Hard && options.fitPrior && noRelation >= 0)
    fit.bias = fitClassBias(softVote(members, fit.runWeights), gold, noRelation, options.fitMetric);
  return fit;
}

bool fitsOnOutOfFoldRows(const EnsembleOptions& options, std::size_t runs) {
  const bool weights = options.vote == Vote::Weighted && runs > 1 &&
                       (options.runWeights == RunWeights::Fitted || options.runWeights == RunWeights::Greedy);
  const bool bias = options.vote != Vote::Hard && options.fitPrior;
  return weights || bias;
}

}  // namespace

std::vector<int> combineRuns(const std::vector<Probabilities>& perRun, const EnsembleOptions& options,
                             const std::vector<double>& runWeights, double noRelationBias, int noRelationId) {
  if (options.vote == Vote::Hard) return hardVote(perRun);
  std::vector<double> bias;
  if (noRelationId >= 0 && !perRun.empty() && !perRun[0].empty()) {
    bias.assign(perRun[0][0].size(), 0.0);
    bias[static_cast<std::size_t>(noRelationId)] = noRelationBias;
  }
  return decide(softVote(perRun, runWeights), bias);
}

OofReport evaluateOutOfFold(const std::vector<RunMembers>& runs, const EnsembleOptions& options) {
  checkSameLabelMaps(runs);
  const auto shared = shareRows(runs);
  const int noRelation = runs[0].labels.idOf(options.noRelationLabel).value_or(-1);
  OofReport report;
  report.rows = shared.ids.size();
  report.ids = shared.ids;
  for (std::size_t r = 0; r < runs.size(); ++r) {
    report.members.push_back(score(runs[r].uid, train::argmaxRows(shared.members[r]), shared.gold, noRelation));
    const auto& best = report.members[report.bestMember];
    if (report.members[r].accuracy > best.accuracy ||
        (report.members[r].accuracy == best.accuracy && report.members[r].microF1 > best.microF1))
      report.bestMember = r;
  }
  const auto all = fitOn(runs, shared.members, shared.gold, options, noRelation);
  report.runWeights = all.runWeights;
  report.selectionCounts = all.selectionCounts;
  report.noRelationBias = all.bias;
  report.inSamplePredicted = combineRuns(shared.members, options, all.runWeights, all.bias, noRelation);
  report.inSample = score("ensemble (in sample)", report.inSamplePredicted, shared.gold, noRelation);

  // Cross-fitting: each fold's rows are decided with what was fitted on the other folds.
  report.fitted = fitsOnOutOfFoldRows(options, runs.size());
  std::vector<int> crossPredicted = report.inSamplePredicted;
  if (report.fitted) {
    std::set<int> folds(shared.folds.begin(), shared.folds.end());
    for (int fold : folds) {
      std::vector<std::size_t> inside, outside;
      for (std::size_t i = 0; i < shared.ids.size(); ++i) (shared.folds[i] == fold ? inside : outside).push_back(i);
      const auto pick = [&](const std::vector<std::size_t>& rows) {
        std::vector<Probabilities> members(runs.size());
        for (std::size_t r = 0; r < runs.size(); ++r)
          for (auto i : rows) members[r].push_back(shared.members[r][i]);
        return members;
      };
      std::vector<int> outsideGold;
      for (auto i : outside) outsideGold.push_back(shared.gold[i]);
      // One fold alone has no other folds to fit on: it keeps the unfitted combination.
      const auto fit = outside.empty() ? Fit{std::vector<double>(runs.size(), 1.0 / runs.size()), {}, 0.0}
                                       : fitOn(runs, pick(outside), outsideGold, options, noRelation);
      const auto decided = combineRuns(pick(inside), options, fit.runWeights, fit.bias, noRelation);
      for (std::size_t k = 0; k < inside.size(); ++k) crossPredicted[inside[k]] = decided[k];
      OofReport::FoldFit foldFit;
      foldFit.fold = fold;
      foldFit.fittedRows = outside.size();
      foldFit.runWeights = fit.runWeights;
      foldFit.selectionCounts = fit.selectionCounts;
      foldFit.noRelationBias = fit.bias;
      report.crossFits.push_back(std::move(foldFit));
    }
  }
  report.crossFittedPredicted = crossPredicted;
  report.crossFitted = score("ensemble (cross-fitted)", crossPredicted, shared.gold, noRelation);

  const auto& names = runs[0].labels.names();
  const auto bestReport = analysis::classificationReport(names, shared.gold, train::argmaxRows(shared.members[report.bestMember]),
                                                         options.noRelationLabel);
  const auto ensembleReport = analysis::classificationReport(names, shared.gold, crossPredicted, options.noRelationLabel);
  for (std::size_t c = 0; c < names.size(); ++c)
    report.classChanges.push_back({names[c], bestReport.classes[c].support, bestReport.classes[c].f1, ensembleReport.classes[c].f1});
  return report;
}


}  // namespace foldbench::ensemble
