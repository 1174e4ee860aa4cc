#include "export_command.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "foldbench/data/readers.h"
#include "foldbench/ensemble/ensemble.h"
#include "foldbench/ensemble/submission.h"
#include "foldbench/tracker/run_store.h"
#include "table_printer.h"

namespace foldbench::cli {

namespace fs = std::filesystem;

namespace {

struct ResolvedRun {
  std::string dir;
  std::int64_t trackerId = 0;  // 0: not in the tracker
};

// A run is named by its directory, or by its id or uid in the tracker.
ResolvedRun resolveRun(const std::string& key, const std::string& db) {
  if (fs::exists(key + "/summary.json")) return {key, 0};
  if (!fs::exists(db)) throw std::runtime_error("'" + key + "' is not a run directory and " + db + " does not exist");
  const auto store = tracker::RunStore::open(db, tracker::RunStore::Access::ReadOnly);
  const auto id = store.resolve(key);
  return {store.showRun(id).info.runDir, id};
}

}  // namespace

int exportCommand(const Args& args) {
  args.allowOnly({"run", "test", "out", "vote", "weights", "prior", "format", "probs", "db", "force"});
  const auto runList = args.value("run"), test = args.value("test"), out = args.value("out");
  if (!runList || !test || !out) throw UsageError("export needs --run ID[,ID...] --test FILE --out FILE");
  const std::string db = args.value("db", tracker::kDefaultDatabase);
  const bool force = args.flag("force");
  // Refuse early, before minutes of prediction, when the output exists.
  if (fs::exists(*out) && !force) throw std::runtime_error(*out + " exists; pass --force to replace it");
  if (auto probs = args.value("probs"); probs && fs::exists(*probs) && !force)
    throw std::runtime_error(*probs + " exists; pass --force to replace it");

  ensemble::EnsembleOptions options;
  options.vote = ensemble::parseVote(args.value("vote", "soft"));
  options.runWeights = args.value("weights", "oof");
  if (options.runWeights != "oof" && options.runWeights != "val") throw UsageError("--weights must be oof or val");
  options.fitPrior = args.flag("prior");
  const auto format = ensemble::parseSubmissionFormat(args.value("format", "pstage"));

  std::vector<ResolvedRun> resolved;
  std::vector<ensemble::RunMembers> runs;
  std::string remaining = *runList;
  for (std::size_t start = 0; start <= remaining.size();) {
    const auto comma = std::min(remaining.find(',', start), remaining.size());
    if (comma > start) {
      resolved.push_back(resolveRun(remaining.substr(start, comma - start), db));
      runs.push_back(ensemble::loadRun(resolved.back().dir));
    }
    start = comma + 1;
  }
  options.noRelationLabel = runs[0].config.data.noRelationLabel;

  // Out-of-fold check first, so a user sees whether the ensemble helps.
  const auto report = ensemble::evaluateOutOfFold(runs, options);
  Table table({"member", "oof acc", "oof micro-F1", "weight"});
  for (std::size_t i = 0; i < report.members.size(); ++i)
    table.add({report.members[i].name, formatNumber(report.members[i].accuracy), formatNumber(report.members[i].microF1),
               formatNumber(report.runWeights[i], 3)});
  table.add({"ensemble (" + ensemble::voteName(options.vote) + ")", formatNumber(report.ensemble.accuracy),
             formatNumber(report.ensemble.microF1), ""});
  std::printf("out-of-fold check on %zu training rows:\n%s", report.rows, table.text().c_str());
  if (options.fitPrior) std::printf("no-relation bias fitted on out-of-fold data: %+.3f\n", report.noRelationBias);

  data::ReadOptions readOptions;
  readOptions.allowBlind = true;
  data::LoadReport loadReport;
  data::LabelMap labels = runs[0].labels;
  const auto dataset = data::loadDataset(*test, data::DatasetFormat::Auto, labels, readOptions, loadReport);
  const auto started = std::chrono::steady_clock::now();
  const auto prediction = ensemble::predictTest(runs, dataset.rows, options, report);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  ensemble::Submission submission;
  for (const auto& r : dataset.rows) submission.ids.push_back(r.id);
  submission.predicted = prediction.predicted;
  submission.probabilities = prediction.probabilities;
  ensemble::writeSubmission(*out, format, submission, runs[0].labels, submission.ids, force);
  if (auto probs = args.value("probs")) ensemble::writeProbabilities(*probs, submission, runs[0].labels, force);
  const std::string sha = tracker::sha256File(*out);
  std::printf("predicted %zu rows with %d fold checkpoints in %.1f s (%.0f rows/s)\n", dataset.rows.size(),
              prediction.members, seconds, static_cast<double>(dataset.rows.size()) / seconds);
  std::printf("wrote %s (%s format, sha256 %s)\n", out->c_str(), args.value("format", "pstage").c_str(),
              sha.substr(0, 16).c_str());

  // Recorded as an artifact of every tracked run it used.
  if (fs::exists(db)) {
    try {
      auto store = tracker::RunStore::open(db);
      nlohmann::json settings = {{"vote", ensemble::voteName(options.vote)}, {"weights", report.runWeights},
                                 {"prior", report.noRelationBias},          {"format", args.value("format", "pstage")},
                                 {"test", fs::absolute(*test).string()},     {"oof_acc", report.ensemble.accuracy},
                                 {"sha256", sha}};
      nlohmann::json members = nlohmann::json::array();
      for (const auto& r : runs) members.push_back(r.uid);
      settings["runs"] = members;
      const auto path = fs::absolute(*out).string();
      for (const auto& r : resolved) {
        std::int64_t id = r.trackerId;
        if (id == 0) {
          try {
            id = store.resolve(ensemble::loadRun(r.dir).uid);
          } catch (const tracker::StoreError&) {
            continue;  // a run directory the tracker does not know
          }
        }
        store.addArtifact(id, {path, "submission", static_cast<std::int64_t>(fs::file_size(*out)), sha});
        store.setFields(id, {{"exports/" + sha.substr(0, 12), std::nullopt, settings.dump()}});
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "warning: the export was written but not recorded in %s: %s\n", db.c_str(), e.what());
    }
  }
  return 0;
}

}  // namespace foldbench::cli
