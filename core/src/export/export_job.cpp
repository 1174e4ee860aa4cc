#include "foldbench/ensemble/export_job.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <optional>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "foldbench/data/readers.h"
#include "foldbench/train/metrics.h"
#include "foldbench/tracker/run_store.h"

namespace foldbench::ensemble {

namespace fs = std::filesystem;

LoadedRuns loadExportRuns(const std::vector<std::string>& keys, const std::string& database) {
  if (keys.empty()) throw std::invalid_argument("an export needs at least one run");
  LoadedRuns out;
  std::optional<tracker::RunStore> store;
  for (const auto& key : keys) {
    std::string dir = key;
    std::int64_t id = 0;
    if (!fs::exists(key + "/summary.json")) {
      if (!fs::exists(database))
        throw std::runtime_error("'" + key + "' is not a run directory and " + database + " does not exist");
      if (!store) store.emplace(tracker::RunStore::open(database, tracker::RunStore::Access::ReadOnly));
      id = store->resolve(key);
      dir = store->showRun(id).info.runDir;
    }
    out.runs.push_back(loadRun(dir));
    if (id == 0 && fs::exists(database)) {
      if (!store) store.emplace(tracker::RunStore::open(database, tracker::RunStore::Access::ReadOnly));
      try {
        id = store->resolve(out.runs.back().uid);
      } catch (const tracker::StoreError&) {
        id = 0;  // a run directory the tracker does not know
      }
    }
    out.trackerIds.push_back(id);
  }
  return out;
}

namespace {

void record(const LoadedRuns& runs, const ExportRequest& request, ExportResult& result) {
  if (request.database.empty() || !fs::exists(request.database)) return;
  try {
    auto store = tracker::RunStore::open(request.database);
    const auto& r = result.report;
    nlohmann::json settings = {{"vote", voteName(request.options.vote)},
                               {"weights", r.runWeights},
                               {"prior", r.noRelationBias},
                               {"fit_metric", fitMetricName(request.options.fitMetric)},
                               {"format", submissionFormatName(request.format)},
                               {"test", fs::absolute(request.testPath).string()},
                               {"oof_acc_in_sample", r.inSample.accuracy},
                               {"oof_micro_f1_in_sample", r.inSample.microF1},
                               {"oof_acc_cross_fitted", r.crossFitted.accuracy},
                               {"oof_micro_f1_cross_fitted", r.crossFitted.microF1},
                               {"sha256", result.sha256}};
    nlohmann::json members = nlohmann::json::array();
    for (const auto& run : runs.runs) members.push_back(run.uid);
    settings["runs"] = members;
    const auto path = fs::absolute(request.outPath).string();
    const auto size = static_cast<std::int64_t>(fs::file_size(request.outPath));
    for (std::size_t i = 0; i < runs.runs.size(); ++i) {
      const auto id = runs.trackerIds[i];
      if (id == 0) continue;
      store.addArtifact(id, {path, "submission", size, result.sha256});
      store.setFields(id, {{"exports/" + result.sha256.substr(0, 12), std::nullopt, settings.dump()}});
      const auto cache = i < result.prediction.cacheFiles.size() ? result.prediction.cacheFiles[i] : std::string();
      if (!cache.empty() && result.prediction.checkpointsLoaded > 0 && fs::exists(cache)) {
        const auto detail = store.showRun(id);
        bool known = false;
        for (const auto& a : detail.artifacts) known = known || a.path == cache;
        if (!known)
          store.addArtifact(id, {cache, "test-predictions", static_cast<std::int64_t>(fs::file_size(cache)),
                                 tracker::sha256File(cache)});
      }
    }
  } catch (const std::exception& e) {
    result.recordError = e.what();
  }
}

}  // namespace

ExportResult runExport(const LoadedRuns& runs, const ExportRequest& request, const std::function<void(int, int)>& progress,
                       const std::atomic<bool>* cancel) {
  // Refuse early, before minutes of prediction, when an output exists.
  for (const auto* path : {&request.outPath, &request.probabilitiesPath})
    if (!path->empty() && fs::exists(*path) && !request.overwrite)
      throw std::runtime_error(*path + " exists; choose another file or allow replacing it");
  ExportResult result;
  result.report = evaluateOutOfFold(runs.runs, request.options);

  data::ReadOptions readOptions;
  readOptions.allowBlind = true;
  data::LoadReport loadReport;
  data::LabelMap labels = runs.runs[0].labels;
  const auto dataset = data::loadDataset(request.testPath, data::DatasetFormat::Auto, labels, readOptions, loadReport);
  result.rows = dataset.rows.size();
  PredictOptions predict;
  predict.progress = progress;
  predict.cancel = cancel;
  if (request.useCache) predict.testSha256 = tracker::sha256File(request.testPath);
  const auto started = std::chrono::steady_clock::now();
  result.prediction = predictTest(runs.runs, dataset.rows, request.options, result.report, predict);
  result.predictSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (cancel && cancel->load()) throw PredictionCancelled();
  std::vector<int> gold;
  for (const auto& r : dataset.rows) gold.push_back(r.labelId);
  if (!gold.empty() && std::all_of(gold.begin(), gold.end(), [](int id) { return id >= 0; })) {
    const int noRelation = labels.idOf(request.options.noRelationLabel).value_or(-1);
    result.testScore = LabelledTestScore{gold.size(), train::accuracy(result.prediction.predicted, gold),
                                         train::microF1WithoutNoRelation(result.prediction.predicted, gold, noRelation)};
  }

  Submission submission;
  for (const auto& r : dataset.rows) submission.ids.push_back(r.id);
  submission.predicted = result.prediction.predicted;
  submission.probabilities = result.prediction.probabilities;
  writeSubmission(request.outPath, request.format, submission, runs.runs[0].labels, submission.ids, request.overwrite);
  if (!request.probabilitiesPath.empty())
    writeProbabilities(request.probabilitiesPath, submission, runs.runs[0].labels, request.overwrite);
  result.sha256 = tracker::sha256File(request.outPath);
  record(runs, request, result);
  return result;
}

std::string freshSubmissionPath(const std::string& folder, const std::string& stem) {
  const std::time_t now = std::time(nullptr);
  char date[16];
  std::strftime(date, sizeof date, "%Y%m%d", std::localtime(&now));
  std::string clean;
  for (char c : stem) clean.push_back(c == '/' || c == '\\' || c == ' ' ? '_' : c);
  if (clean.empty()) clean = "submission";
  for (int n = 1;; ++n) {
    const auto path = (fs::path(folder) / (clean + "-" + date + "-" + std::to_string(n) + ".csv")).string();
    if (!fs::exists(path)) return path;
  }
}

}  // namespace foldbench::ensemble
