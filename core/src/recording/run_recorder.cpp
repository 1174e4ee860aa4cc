#include "foldbench/train/fold_trainer.h"
#include "foldbench/platform/blas_kernels.h"
#include "foldbench/recording/run_recorder.h"

#include <unistd.h>

#include <filesystem>
#include <future>
#include <nlohmann/json.hpp>
#include <sstream>

#include "foldbench/text/encoding_cache.h"
#include "foldbench/text/hash.h"
#include "foldbench/tracker/field_names.h"
#include "foldbench/tracker/run_pruning.h"

namespace foldbench::recording {

// This module writes the tracker's records; its names are used unqualified here.
using namespace tracker;

namespace fs = std::filesystem;

std::vector<std::pair<std::string, std::string>> flattenConfig(const std::string& configJson) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto json = nlohmann::json::parse(configJson);
  for (const auto& [section, values] : json.items())
    for (const auto& [key, value] : values.items())
      out.emplace_back(section + "." + key, value.is_string() ? value.get<std::string>() : value.dump());
  return out;
}

namespace {
std::string listJson(const std::vector<double>& values) { return nlohmann::json(values).dump(); }
}  // namespace

RunInfo describeRun(const kfold::PreparedRun& p, const RunDescription& description, const std::string& appVersion) {
  RunInfo info;
  info.uid = p.runId;
  info.experiment = description.experiment.empty() ? "default" : description.experiment;
  info.name = description.name.empty() ? p.config.run.name : description.name;
  info.createdAt = nowSeconds();
  info.configJson = config::toJson(p.config);
  info.seed = p.config.train.seed;
  info.appVersion = appVersion;
  info.torchVersion = train::torchVersion();
  info.host = hostName();
  const auto device = train::configureDevice(p.config.train);
  info.device = device.device;
  info.threads = device.threads;
  info.pid = static_cast<int>(::getpid());
  info.dataFingerprint = text::fileFingerprint(p.config.data.trainPath);
  info.runDir = fs::absolute(p.runDir).string();
  return info;
}

RunRecorder::RunRecorder(BatchedWriter& writer, const kfold::PreparedRun& p, std::int64_t existingRun)
    : writer_(writer), prepared_(p), run_(existingRun) {
  writer_.trackHeartbeat(run_);
}

RunRecorder::RunRecorder(BatchedWriter& writer, const kfold::PreparedRun& p, const RunDescription& description,
                         const std::string& appVersion)
    : writer_(writer), prepared_(p) {
  const RunInfo info = describeRun(p, description, appVersion);
  const auto params = flattenConfig(info.configJson);
  std::promise<std::int64_t> created;
  auto id = created.get_future();
  writer_.submit([&, info, params](RunStore& store) {
    try {
      const auto run = store.createRun(info, params);
      if (!description.tags.empty()) store.addTags(run, description.tags);
      if (!description.note.empty()) store.addNote(run, description.note, info.createdAt);
      if (!description.fields.empty()) store.setFields(run, description.fields);
      created.set_value(run);
    } catch (...) {
      created.set_exception(std::current_exception());
    }
  });
  run_ = id.get();
  writer_.trackHeartbeat(run_);
}

void RunRecorder::onStep(const train::StepEvent& e) {
  const double now = nowSeconds();
  writer_.metrics(run_, {{names::fold(e.fold, "batch/loss"), e.step, e.epoch, e.loss, now},
                         {names::fold(e.fold, "batch/acc"), e.step, e.epoch, e.accuracy, now},
                         {names::fold(e.fold, "lr"), e.step, e.epoch, e.learningRate, now},
                         {names::fold(e.fold, "examples_per_second"), e.step, e.epoch, e.examplesPerSecond, now}});
}

void RunRecorder::onEpoch(const train::EpochEvent& e) {
  const double now = nowSeconds();
  std::vector<MetricPoint> points = {{names::fold(e.fold, "train/loss"), e.step, e.epoch, e.trainLoss, now},
                                     {names::fold(e.fold, "train/acc"), e.step, e.epoch, e.trainAccuracy, now}};
  if (e.hasValidation) {
    points.push_back({names::fold(e.fold, "val/loss"), e.step, e.epoch, e.validation.loss, now});
    points.push_back({names::fold(e.fold, "val/acc"), e.step, e.epoch, e.validation.accuracy, now});
    points.push_back({names::fold(e.fold, "val/micro_f1"), e.step, e.epoch, e.validation.microF1, now});
  }
  writer_.metrics(run_, std::move(points));
}

void RunRecorder::onFoldEnd(const train::FoldResult& r) {
  const auto run = run_;
  const FoldRecord fold{r.fold, train::toString(r.status), r.bestEpoch, r.bestTrainAccuracy, r.best.accuracy,
                        r.best.microF1, r.best.loss, r.checkpointPath};
  std::vector<Field> fields = {
      {names::fold(r.fold, "status"), std::nullopt, train::toString(r.status)},
      {names::fold(r.fold, "best_epoch"), static_cast<double>(r.bestEpoch), std::to_string(r.bestEpoch)},
      {names::fold(r.fold, "train/acc"), r.bestTrainAccuracy, ""},
      {names::fold(r.fold, "checkpoint"), std::nullopt, r.checkpointPath},
      {names::fold(r.fold, "examples_per_second"), r.examplesPerSecond, ""},
  };
  if (!r.validationRows.empty() && r.bestEpoch > 0) {
    fields.push_back({names::fold(r.fold, "val/acc"), r.best.accuracy, ""});
    fields.push_back({names::fold(r.fold, "val/micro_f1"), r.best.microF1, ""});
    fields.push_back({names::fold(r.fold, "val/loss"), r.best.loss, ""});
  }
  if (!r.error.empty()) fields.push_back({names::fold(r.fold, "error"), std::nullopt, r.error});
  writer_.submit([run, fold, fields](RunStore& store) {
    store.upsertFold(run, fold);
    store.setFields(run, fields);
  });
}

void RunRecorder::finish(const kfold::RunResult& r) {
  const auto run = run_;
  const auto stat = [](const std::string& leaf, const kfold::CvStat& s) {
    std::vector<Field> f = {{names::cv(leaf + "/list"), std::nullopt, listJson(s.values)}};
    if (!s.values.empty()) {
      f.push_back({names::cv(leaf + "/mean"), s.mean, ""});
      f.push_back({names::cv(leaf + "/std"), s.stddev, ""});
    }
    return f;
  };
  std::vector<Field> fields;
  for (auto part : {stat("train/acc", r.trainAccuracy), stat("val/acc", r.validationAccuracy),
                    stat("val/micro_f1", r.validationMicroF1), stat("val/loss", r.validationLoss)})
    fields.insert(fields.end(), part.begin(), part.end());
  fields.push_back({names::cv("oof/acc"), r.outOfFoldAccuracy, ""});
  fields.push_back({"sys/seconds", r.seconds, ""});
  fields.push_back({"sys/device", std::nullopt, r.device.device});
  fields.push_back({"sys/blas", std::nullopt, platform::blasSummary()});
  fields.push_back({"data/rows", static_cast<double>(prepared_.data.size()), ""});
  fields.push_back({"data/repairs", static_cast<double>(prepared_.report.repairs.size()), ""});

  std::vector<Artifact> artifacts;
  const auto add = [&](const std::string& path, const std::string& kind) {
    if (!fs::exists(path)) return;
    artifacts.push_back({fs::absolute(path).string(), kind, static_cast<std::int64_t>(fs::file_size(path)), sha256File(path)});
  };
  for (const auto& f : r.folds) add(f.checkpointPath, "checkpoint");
  add(prepared_.runDir + "/oof.tsv", "oof");
  add(prepared_.runDir + "/config.json", "config");
  add(prepared_.runDir + "/summary.json", "summary");
  add(prepared_.runDir + "/tokenizer.model", "tokenizer");
  fields.push_back({"sys/disk_bytes", static_cast<double>(directoryBytes(prepared_.runDir)), ""});
  const RunStatus status = r.status;
  const std::string error = r.error;
  writer_.untrackHeartbeat(run);
  writer_.submit([run, fields, artifacts, status, error](RunStore& store) {
    store.setFields(run, fields);
    for (const auto& a : artifacts) store.addArtifact(run, a);
    store.finishRun(run, status, error, nowSeconds());
  });
  writer_.flush();
}

void RunRecorder::fail(const std::string& error) {
  const auto run = run_;
  writer_.untrackHeartbeat(run);
  writer_.submit([run, error](RunStore& store) { store.finishRun(run, RunStatus::Failed, error, nowSeconds()); });
  writer_.flush();
}

}  // namespace foldbench::recording
