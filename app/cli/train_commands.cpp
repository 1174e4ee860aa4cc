#include "train_commands.h"

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "sample_paths.h"
#include "foldbench/platform/blas_kernels.h"
#include "foldbench/config/experiment_config.h"
#include "foldbench/data/readers.h"
#include "foldbench/kfold/kfold_runner.h"
#include "foldbench/recording/tracked_run.h"
#include "progress_printer.h"

namespace foldbench::cli {

namespace fs = std::filesystem;

namespace {

std::atomic<bool> gCancel{false};

extern "C" void onInterrupt(int) { gCancel.store(true); }

config::ExperimentConfig configFrom(const Args& args) {
  config::ExperimentConfig c = args.value("config") ? config::loadConfig(*args.value("config"))
                                                    : config::preset(args.value("preset", "sample"));
  config::resolveBundledSamplePaths(c, app::sampleDataDir());
  if (auto v = args.value("train")) c.data.trainPath = *v;
  if (auto v = args.value("labels")) c.data.labelsPath = *v;
  if (auto v = args.value("out")) c.run.outputDir = *v;
  if (auto v = args.value("name")) c.run.name = *v;
  if (args.value("fold")) c.kfold.fold = args.intValue("fold", -1);
  if (args.value("epochs")) c.train.epochs = args.intValue("epochs", c.train.epochs);
  if (args.value("threads")) c.train.threads = args.intValue("threads", c.train.threads);
  if (auto problems = c.validate(); !problems.empty()) throw config::ConfigError("configuration", problems);
  return c;
}

void printSummary(const kfold::RunResult& r) {
  std::printf("\n%-6s %-14s %-10s %-10s %-10s %-10s\n", "fold", "status", "best ep", "train acc", "val acc", "micro-F1");
  for (const auto& f : r.folds)
    std::printf("%-6d %-14s %-10d %-10.4f %-10.4f %-10.4f\n", f.fold, train::toString(f.status), f.bestEpoch,
                f.bestTrainAccuracy, f.best.accuracy, f.best.microF1);
  if (!r.validationAccuracy.values.empty()) {
    std::printf("%zu-fold val acc list:", r.validationAccuracy.values.size());
    for (double v : r.validationAccuracy.values) std::printf(" %.4f", v);
    std::printf("\n%zu-fold val average acc: %.4f (std %.4f); micro-F1 %.4f; out-of-fold acc %.4f\n",
                r.validationAccuracy.values.size(), r.validationAccuracy.mean, r.validationAccuracy.stddev,
                r.validationMicroF1.mean, r.outOfFoldAccuracy);
  }
  std::printf("status %s on %s with %d threads in %s\n", r.status.c_str(), r.device.device.c_str(), r.device.threads,
              formatDuration(r.seconds).c_str());
  std::printf("BLAS %s\n", platform::blasSummary().c_str());
  if (!r.error.empty()) std::printf("error: %s\n", r.error.c_str());
}

}  // namespace

int configInit(const Args& args) {
  args.allowOnly({"preset", "docs"});
  config::ExperimentConfig c;
  if (auto name = args.value("preset")) c = config::preset(*name);
  config::resolveBundledSamplePaths(c, app::sampleDataDir());
  std::printf("%s\n", config::toJson(c, args.flag("docs")).c_str());
  return 0;
}

int trainCommand(const Args& args) {
  args.allowOnly({"config", "preset", "train", "labels", "fold", "out", "name", "epochs", "threads", "db", "tag",
                  "note", "experiment", "no-track"});
  const auto config = configFrom(args);
  const int folds = !config.kfold.enabled ? 1 : config.kfold.fold >= 0 ? 1 : config.kfold.folds;
  ProgressPrinter progress(folds);
  std::signal(SIGINT, onInterrupt);
  std::signal(SIGTERM, onInterrupt);
  recording::TrackedRunOptions options;
  options.track = !args.flag("no-track");
  options.databasePath = args.value("db", tracker::kDefaultDatabase);
  options.labels.experiment = args.value("experiment", "default");
  std::string tags = args.value("tag", "");
  for (std::size_t start = 0; start <= tags.size();) {
    const auto comma = std::min(tags.find(',', start), tags.size());
    if (comma > start) options.labels.tags.push_back(tags.substr(start, comma - start));
    start = comma + 1;
  }
  options.labels.note = args.value("note", "");
  options.appVersion = FOLDBENCH_VERSION;
  const auto run = recording::trainTracked(config, progress, gCancel, options);
  const auto& result = run.result;
  if (!run.trackerWarning.empty()) std::fprintf(stderr, "warning: tracker: %s\n", run.trackerWarning.c_str());
  printSummary(result);
  std::printf("summary=%s/summary.json\n", run.runDir.c_str());
  std::printf("run_id=%s\n", result.runId.c_str());
  return result.status == "finished" ? 0 : result.status == "stopped" ? 130 : 1;
}

int predictCommand(const Args& args) {
  args.allowOnly({"run", "test", "out", "force", "format"});
  const auto run = args.value("run"), test = args.value("test"), out = args.value("out");
  if (!run || !test || !out) throw UsageError("predict needs --run DIR --test FILE --out FILE");
  if (fs::exists(*out) && !args.flag("force"))
    throw std::runtime_error(*out + " exists; pass --force to replace it");
  const auto summaryPath = *run + "/summary.json";
  if (!fs::exists(summaryPath)) throw std::runtime_error(*run + " is not a run directory (no summary.json)");
  const auto summary = nlohmann::json::parse(std::ifstream(summaryPath));
  const auto config = config::loadConfig(*run + "/config.json");
  const auto labels = data::LabelMap::readFile(*run + "/labels.tsv");

  data::ReadOptions options;
  options.allowBlind = true;
  data::LoadReport report;
  data::LabelMap known = labels;
  const auto dataset = data::loadDataset(*test, data::parseFormat(args.value("format", "auto")), known, options, report);
  const std::string tokenizer = config.model.family == "ngram" ? "" : *run + "/tokenizer.model";
  const auto inputs = kfold::encodeForRun(config, dataset.rows, labels, tokenizer);
  std::vector<int> rows(dataset.rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<int>(i);

  std::vector<std::vector<float>> mean(rows.size(), std::vector<float>(static_cast<std::size_t>(labels.size()), 0.0f));
  int used = 0;
  for (const auto& fold : summary.at("folds")) {
    if (fold.at("best_epoch").get<int>() == 0) continue;
    const auto checkpoint = *run + "/" + fold.at("checkpoint").get<std::string>();
    const auto probs = train::predictProbabilities(checkpoint, inputs, rows);
    for (std::size_t i = 0; i < rows.size(); ++i)
      for (std::size_t c = 0; c < mean[i].size(); ++c) mean[i][c] += probs[i][c];
    ++used;
    std::fprintf(stderr, "predicted %zu rows with %s\n", rows.size(), checkpoint.c_str());
  }
  if (used == 0) throw std::runtime_error(*run + " has no trained fold checkpoint");
  const std::string tmp = *out + ".tmp";
  {
    std::ofstream file(tmp);
    file << "id\tpred\tpred_label";
    for (const auto& name : labels.names()) file << '\t' << name;
    file << '\n';
    for (std::size_t i = 0; i < rows.size(); ++i) {
      for (auto& v : mean[i]) v /= static_cast<float>(used);
      const int pred = static_cast<int>(std::max_element(mean[i].begin(), mean[i].end()) - mean[i].begin());
      file << dataset.rows[i].id << '\t' << pred << '\t' << labels.nameOf(pred);
      for (float v : mean[i]) file << '\t' << v;
      file << '\n';
    }
    if (!file) throw std::runtime_error("cannot write " + tmp);
  }
  fs::rename(tmp, *out);
  std::printf("wrote %zu rows of class probabilities (mean of %d fold checkpoints) to %s\n", rows.size(), used,
              out->c_str());
  return 0;
}

}  // namespace foldbench::cli
