#include "train_commands.h"

#include <cmath>
#include <csignal>
#include <cstdio>
#include <sstream>
#include <filesystem>
#include <fstream>
#include <locale>
#include <nlohmann/json.hpp>
#include <set>

#include "sample_paths.h"
#include "foldbench/platform/atomic_file.h"
#include "foldbench/ensemble/ensemble.h"
#include "foldbench/ensemble/export_job.h"
#include "foldbench/tracker/run_store.h"
#include "foldbench/platform/blas_kernels.h"
#include "foldbench/config/experiment_config.h"
#include "foldbench/config/field_spec.h"
#include "foldbench/tracker/known_names.h"
#include "foldbench/util/numbers.h"
#include "foldbench/data/readers.h"
#include "foldbench/kfold/kfold_runner.h"
#include "foldbench/recording/tracked_run.h"
#include "data_commands.h"
#include "progress_printer.h"

namespace foldbench::cli {

namespace fs = std::filesystem;

namespace {

std::atomic<bool> gCancel{false};

extern "C" void onInterrupt(int) { gCancel.store(true); }

}  // namespace

config::ExperimentConfig configFrom(const Args& args) {
  config::ExperimentConfig c = args.value("config") ? config::loadConfig(*args.value("config"))
                                                    : config::preset(args.value("preset", "sample"));
  config::resolveBundledSamplePaths(c, app::sampleDataDir());
  if (auto v = args.value("train")) c.data.trainPath = *v;
  if (auto v = args.value("labels")) c.data.labelsPath = *v;
  // Typed in a shell, so relative to the working directory (a config's is relative to the tracker).
  if (auto v = args.value("out")) c.run.outputDir = fs::absolute(*v).lexically_normal().string();
  if (auto v = args.value("name")) c.run.name = *v;
  if (args.value("fold")) c.kfold.fold = args.intValue("fold", -1);
  if (args.value("epochs")) c.train.epochs = args.intValue("epochs", c.train.epochs);
  if (args.value("threads")) c.train.threads = args.intValue("threads", c.train.threads);
  // Read relative to the working directory, so recorded absolute: the run's config.json then
  // trains again from any folder.
  for (auto* path : {&c.data.trainPath, &c.data.testPath, &c.data.labelsPath, &c.tokenizer.modelPath,
                     &c.model.pretrainedPath})
    if (!path->empty() && fs::path(*path).is_relative()) *path = fs::absolute(*path).lexically_normal().string();
  auto problems = c.validate();
  for (auto& p : problems)
    if (p.rfind("data.train_path: not set", 0) == 0) p += ", or pass --train FILE";
  // A data file that is not there, named by its field (as the window marks it).
  for (const auto& spec : config::fieldSpecs()) {
    if (spec.type != config::FieldType::Path || spec.directory || !config::fieldApplies(spec, c)) continue;
    const auto path = std::get<std::string>(spec.get(c));
    std::error_code error;
    if (!path.empty() && !fs::is_regular_file(path, error)) problems.push_back(spec.key() + ": no such file: " + path);
  }
  if (!problems.empty()) {
    throw config::ConfigError(args.value("config").value_or("preset " + args.value("preset", "sample")), problems);
  }
  // Ids numbered from the training file need not be the ids a submission is scored with.
  if (c.data.labelsPath.empty())
    std::fprintf(stderr,
                 "note: data.labels_path is not set, so the label ids are numbered alphabetically from the training "
                 "file; set it (or pass --labels FILE) to a label map when a submission needs fixed ids, such as "
                 "the competition's labels.tsv\n");
  return c;
}

namespace {

// config init --set FIELD=VALUE: a field by its key as the config spells it, the value read as
// the field's type and checked as a config file's would be. A relative path, typed in a shell, is
// made absolute (as train's --train is), so the config trains from any folder.
void applySetOptions(config::ExperimentConfig& c, const Args& args) {
  std::set<std::string> keys;
  for (const auto& f : config::fieldSpecs()) keys.insert(f.key());
  for (const auto& item : args.values("set")) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      throw UsageError("--set needs FIELD=VALUE (e.g. --set data.train_path=train.tsv), not '" + item + "'");
    const std::string key = item.substr(0, eq), text = item.substr(eq + 1);
    const auto* spec = config::findField(key);
    if (!spec) throw UsageError("--set: unknown config field '" + key + "'" + tracker::didYouMean(key, keys));
    config::FieldValue value = text;
    const auto wrongType = [&](const char* expected) {
      return UsageError("--set " + key + ": expected " + expected + ", got '" + text + "'");
    };
    switch (spec->type) {
      case config::FieldType::Bool:
        if (text != "true" && text != "false") throw wrongType("true or false");
        value = text == "true";
        break;
      case config::FieldType::Int: {
        const auto number = util::parseDouble(text);
        if (!number || *number != std::floor(*number) || std::abs(*number) > 9.2e18) throw wrongType("an integer");
        value = static_cast<std::int64_t>(*number);
        break;
      }
      case config::FieldType::Float: {
        const auto number = util::parseDouble(text);
        if (!number) throw wrongType("a number");
        value = *number;
        break;
      }
      case config::FieldType::Path:
        if (!text.empty()) value = fs::absolute(text).lexically_normal().string();
        break;
      default:
        break;
    }
    if (const auto why = config::checkValue(*spec, value); !why.empty()) throw UsageError("--set " + key + ": " + why);
    spec->set(c, value);
  }
}

}  // namespace

void printSummary(const kfold::RunResult& r, int plannedFolds) {
  std::printf("\n%-6s %-14s %-10s %-10s %-10s %-10s\n", "fold", "status", "best ep", "train acc", "val acc", "micro-F1");
  for (const auto& f : r.folds)
    std::printf("%-6d %-14s %-10d %-10.4f %-10.4f %-10.4f\n", f.fold, train::toString(f.status), f.bestEpoch,
                f.bestTrainAccuracy, f.best.accuracy, f.best.microF1);
  if (const auto scored = r.validationAccuracy.values.size(); scored > 0) {
    // A stopped or failed run scored fewer folds than it planned: say so, not "3-fold".
    const bool whole = scored == static_cast<std::size_t>(plannedFolds);
    const std::string list = whole ? std::to_string(scored) + "-fold val acc list"
                                   : "val acc list, " + std::to_string(scored) + " of " + std::to_string(plannedFolds) + " folds";
    const std::string average = whole ? std::to_string(scored) + "-fold val average acc"
                                      : "val average acc, " + std::to_string(scored) + " of " + std::to_string(plannedFolds) + " folds";
    std::printf("%s:", list.c_str());
    for (double v : r.validationAccuracy.values) std::printf(" %.4f", v);
    std::printf("\n%s: %.4f (std %.4f); micro-F1 %.4f; out-of-fold acc %.4f\n", average.c_str(), r.validationAccuracy.mean,
                r.validationAccuracy.stddev, r.validationMicroF1.mean, r.outOfFoldAccuracy);
  }
  std::printf("status %s on %s with %d threads in %s\n", nameOf(r.status), r.device.device.c_str(), r.device.threads,
              formatDuration(r.seconds).c_str());
  std::printf("BLAS %s\n", platform::blasSummary().c_str());
  if (!r.error.empty()) std::printf("error: %s\n", r.error.c_str());
}


int configDocs(const Args& args) {
  args.allowOnly({});
  std::printf("# Experiment config reference\n\n"
              "Generated from the config declaration by `foldbench-cli config docs` (the test\n"
              "`config.reference_is_current` fails when this file and the program disagree). A config\n"
              "file is JSON with one object per section; missing keys keep the defaults below.\n"
              "`foldbench-cli config init --preset NAME --docs` prints a whole config with these notes.\n");
  std::string section;
  for (const auto& f : config::fieldDocs()) {
    const auto dot = f.key.find('.');
    const std::string s = f.key.substr(0, dot);
    if (s != section) {
      section = s;
      std::printf("\n## %s\n\n| field | type | default | allowed | meaning |\n| --- | --- | --- | --- | --- |\n",
                  section.c_str());
    }
    // A table cell: '|' ends the cell and '<' opens HTML in Markdown.
    const auto cell = [](std::string text) {
      std::string out;
      for (char c : text) out += c == '|' ? std::string("\\|") : c == '<' ? std::string("&lt;") : std::string(1, c);
      return out;
    };
    const std::string doc = cell(f.doc), range = cell(f.range);
    std::printf("| `%s` | %s | `%s` | %s | %s |\n", f.key.substr(dot + 1).c_str(), f.type.c_str(),
                f.defaultValue.c_str(), range.c_str(), doc.c_str());
  }
  return 0;
}

int configInit(const Args& args) {
  args.allowOnly({"preset", "docs", "set"});
  config::ExperimentConfig c;
  if (auto name = args.value("preset")) c = config::preset(*name);
  config::resolveBundledSamplePaths(c, app::sampleDataDir());
  applySetOptions(c, args);
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
  options.databasePath = trackerPath(args);
  options.description.experiment = args.value("experiment", "default");
  options.description.tags = splitCommaList(args.value("tag", ""));
  options.description.note = args.value("note", "");
  options.appVersion = FOLDBENCH_VERSION;
  const auto run = recording::trainTracked(config, progress, gCancel, options);
  const auto& result = run.result;
  if (!run.trackerWarning.empty()) std::fprintf(stderr, "warning: tracker: %s\n", run.trackerWarning.c_str());
  printSummary(result, folds);
  std::printf("summary=%s/summary.json\n", run.runDir.c_str());
  std::printf("run_id=%s\n", result.runId.c_str());
  return result.status == RunStatus::Finished ? 0 : result.status == RunStatus::Stopped ? 130 : 1;
}

int predictCommand(const Args& args) {
  args.allowOnly({"run", "test", "out", "force", "format", "data-format", "db"});
  const auto run = args.value("run"), test = args.value("test"), out = args.value("out");
  if (!run || !test || !out) throw UsageError("predict needs --run ID --test FILE --out FILE");
  const auto dataFormat = dataFormatOption(args, "predict", false);
  if (fs::exists(*out) && !args.flag("force"))
    throw std::runtime_error(*out + " exists; pass --force to replace it");
  // One run is an ensemble of its folds: the same loading, prediction (and cache) as `export`.
  // The run by its folder, number or uid, as export and the runs commands name it.
  const std::vector<ensemble::RunMembers> runs = ensemble::loadExportRuns({*run}, trackerPath(args)).runs;
  const auto& labels = runs[0].labels;
  data::ReadOptions options;
  options.allowBlind = true;
  data::LoadReport report;
  data::LabelMap known = labels;
  const auto dataset = data::loadDataset(*test, dataFormat, known, options, report);
  ensemble::OofReport unfitted;
  unfitted.runWeights = {1.0};
  ensemble::PredictOptions predict;
  predict.testSha256 = tracker::sha256File(*test);
  predict.progress = [&](int done, int total) {
    std::fprintf(stderr, "predicted %zu rows with fold checkpoint %d of %d\n", dataset.rows.size(), done, total);
  };
  const auto prediction = ensemble::predictTest(runs, dataset.rows, {}, unfitted, predict);
  {
    std::ostringstream file;
    file.imbue(std::locale::classic());
    file << "id\tpred\tpred_label";
    for (const auto& name : labels.names()) file << '\t' << name;
    file << '\n';
    for (std::size_t i = 0; i < dataset.rows.size(); ++i) {
      const int pred = prediction.predicted[i];
      file << dataset.rows[i].id << '\t' << pred << '\t' << labels.nameOf(pred);
      for (float v : prediction.probabilities[i]) file << '\t' << v;
      file << '\n';
    }
    platform::writeFileAtomically(*out, file.str());
  }
  std::printf("wrote %zu rows of class probabilities (mean of %d fold checkpoints, %d read) to %s\n",
              dataset.rows.size(), prediction.members, prediction.checkpointsLoaded, out->c_str());
  return 0;
}

}  // namespace foldbench::cli
