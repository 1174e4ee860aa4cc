#include "export_command.h"

#include <cstdio>
#include <filesystem>
#include <string>

#include "foldbench/ensemble/export_job.h"
#include "foldbench/tracker/run_store.h"
#include "table_printer.h"

namespace foldbench::cli {

namespace {

void printReport(const ensemble::OofReport& report, const ensemble::EnsembleOptions& options) {
  Table table({"member", "oof acc", "oof micro-F1", "weight"});
  for (std::size_t i = 0; i < report.members.size(); ++i)
    table.add({report.members[i].name, formatNumber(report.members[i].accuracy), formatNumber(report.members[i].microF1),
               formatNumber(report.runWeights[i], 3)});
  const std::string vote = ensemble::voteName(options.vote);
  table.add({"ensemble (" + vote + "), cross-fitted", formatNumber(report.crossFitted.accuracy),
             formatNumber(report.crossFitted.microF1), ""});
  table.add({"ensemble (" + vote + "), in sample", formatNumber(report.inSample.accuracy),
             formatNumber(report.inSample.microF1), ""});
  std::printf("out-of-fold check on %zu training rows:\n%s", report.rows, table.text().c_str());
  if (report.fitted)
    std::printf("the in-sample row scores what was fitted (%s) on the rows it was fitted on; the cross-fitted row\n"
                "decides each fold's rows with what was fitted on the other folds, and is the honest estimate\n",
                ensemble::fitMetricName(options.fitMetric).c_str());
  else
    std::printf("nothing is fitted on out-of-fold rows, so both rows are the same estimate\n");
  if (!report.selectionCounts.empty()) {
    std::string selected;
    for (std::size_t i = 0; i < report.selectionCounts.size(); ++i)
      if (report.selectionCounts[i] > 0)
        selected += (selected.empty() ? "" : ", ") + std::to_string(report.selectionCounts[i]) + "x " + report.members[i].name;
    std::printf("greedy selection on all out-of-fold rows: %s\n", selected.c_str());
  }
  if (options.fitPrior) std::printf("no-relation bias fitted on out-of-fold data: %+.3f\n", report.noRelationBias);
}

}  // namespace

int exportCommand(const Args& args) {
  args.allowOnly({"run", "test", "out", "vote", "weights", "prior", "fit", "format", "probs", "db", "force", "no-cache"});
  const auto runList = args.value("run"), test = args.value("test"), out = args.value("out");
  if (!runList || !test || !out) throw UsageError("export needs --run ID[,ID...] --test FILE --out FILE");
  // Refused here, before the runs are loaded, naming the flag (the core's message speaks of the
  // window's question).
  for (const auto& path : {*out, args.value("probs", "")})
    if (!path.empty() && !args.flag("force") && std::filesystem::exists(path))
      throw std::runtime_error(path + " exists; pass --force to replace it");
  ensemble::ExportRequest request;
  request.database = trackerPath(args);
  request.overwrite = args.flag("force");
  request.useCache = !args.flag("no-cache");
  request.testPath = *test;
  request.outPath = *out;
  request.probabilitiesPath = args.value("probs", "");
  request.options.vote = ensemble::parseVote(args.value("vote", "soft"));
  try {
    request.options.runWeights = ensemble::parseRunWeights(args.value("weights", "oof"));
  } catch (const std::invalid_argument&) {
    throw UsageError("--weights must be oof, val or greedy");
  }
  request.options.fitPrior = args.flag("prior");
  request.options.fitMetric = ensemble::parseFitMetric(args.value("fit", "accuracy"));
  const std::string formatName = args.value("format", "pstage");
  request.format = ensemble::parseSubmissionFormat(formatName);

  const auto runs = ensemble::loadExportRuns(splitCommaList(*runList), request.database);
  request.options.noRelationLabel = runs.runs[0].config.data.noRelationLabel;
  // Predicting the test file takes a while on a large one: say how far it is, as predict does.
  const auto progress = [](int done, int total) {
    std::fprintf(stderr, "predicting the test file: fold checkpoint %d of %d done\n", done, total);
  };
  const auto result = ensemble::runExport(runs, request, progress);
  printReport(result.report, request.options);
  std::printf("predicted %zu rows with %d fold checkpoints in %.1f s (%d read, %d from the cache)\n", result.rows,
              result.prediction.members, result.predictSeconds, result.prediction.checkpointsLoaded,
              result.prediction.members - result.prediction.checkpointsLoaded);
  if (result.testScore)
    std::printf("the test file is labelled: ensemble accuracy %.4f, micro-F1 %.4f on its %zu rows\n",
                result.testScore->accuracy, result.testScore->microF1, result.testScore->rows);
  std::printf("wrote %s (%s format, sha256 %s)\n", out->c_str(), formatName.c_str(), result.sha256.substr(0, 16).c_str());
  if (!result.recordError.empty())
    std::fprintf(stderr, "warning: the export was written but not recorded in %s: %s\n", request.database.c_str(),
                 result.recordError.c_str());
  return 0;
}

}  // namespace foldbench::cli
