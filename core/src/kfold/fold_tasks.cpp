#include "foldbench/kfold/fold_tasks.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "foldbench/data/readers.h"
#include "foldbench/platform/atomic_file.h"
#include "foldbench/train/fold_trainer.h"
#include "data_fingerprint.h"
#include "fold_plan.h"

namespace foldbench::kfold {

namespace fs = std::filesystem;
using nlohmann::json;

PreparedRun reopenRun(const std::string& runDir, train::TrainingObserver& observer, const std::atomic<bool>* cancel) {
  PreparedRun p;
  p.runDir = fs::absolute(runDir).lexically_normal().string();
  if (!p.runDir.empty() && p.runDir.back() == '/') p.runDir.pop_back();
  for (const char* name : {"config.json", "labels.tsv"})
    if (!fs::exists(p.runDir + "/" + name))
      throw std::runtime_error(p.runDir + "/" + name + " not found: not a prepared run directory");
  p.runId = fs::path(p.runDir).filename().string();
  p.config = config::loadConfig(p.runDir + "/config.json");
  p.labels = data::LabelMap::readFile(p.runDir + "/labels.tsv");
  observer.onPhase({train::RunPhase::Loading, 0, 0});
  checkDataFingerprint(p.runDir, p.config.data.trainPath);
  const auto dataset = data::loadDataset(p.config.data.trainPath, p.config.data.format, p.labels,
                                         readOptionsFor(p.config), p.report);
  for (const auto& r : dataset.rows) p.rowIds.push_back(r.id);
  if (p.config.model.family != config::ModelFamily::Ngram) {
    p.tokenizerPath = runTokenizerPath(p.config, p.runDir);
    if (!fs::exists(p.tokenizerPath)) throw std::runtime_error(p.tokenizerPath + " not found: the run was not prepared");
  }
  p.data = encodeForRun(p.config, dataset.rows, p.labels, p.tokenizerPath, &observer, cancel);
  return p;
}

int foldCount(const config::ExperimentConfig& c) { return c.kfold.enabled && c.kfold.fold < 0 ? c.kfold.folds : 1; }

std::string foldResultPath(const std::string& runDir, int fold) {
  return runDir + "/fold-" + std::to_string(fold) + "/result.json";
}

namespace {

json metricsJson(const train::EvalMetrics& m) { return {{"loss", m.loss}, {"acc", m.accuracy}, {"micro_f1", m.microF1}}; }
train::EvalMetrics metricsFrom(const json& j) {
  return {j.at("loss").get<double>(), j.at("acc").get<double>(), j.at("micro_f1").get<double>()};
}

train::FoldResult failed(int fold, const std::string& error) {
  train::FoldResult r;
  r.fold = fold;
  r.status = train::FoldStatus::Failed;
  r.error = error;
  return r;
}

}  // namespace

void writeFoldResult(const std::string& path, const train::FoldResult& r) {
  json epochs = json::array();
  for (const auto& e : r.epochs)
    epochs.push_back({{"fold", e.fold}, {"epoch", e.epoch}, {"step", e.step}, {"train_loss", e.trainLoss},
                      {"train_acc", e.trainAccuracy}, {"has_validation", e.hasValidation},
                      {"validation", metricsJson(e.validation)}, {"lr", e.learningRate}, {"seconds", e.seconds},
                      {"improved", e.improved}});
  // Doubles are written with 17 significant digits and floats widened exactly, so a merged run
  // reads back the very numbers the task computed.
  const json j = {{"fold", r.fold},
                  {"status", nameOf(r.status)},
                  {"error", r.error},
                  {"best_epoch", r.bestEpoch},
                  {"best", metricsJson(r.best)},
                  {"best_train_acc", r.bestTrainAccuracy},
                  {"checkpoint", fs::path(r.checkpointPath).filename().string()},
                  {"epochs", epochs},
                  {"train_rows", r.trainRows},
                  {"validation_rows", r.validationRows},
                  {"validation_probabilities", r.validationProbabilities},
                  {"steps", r.steps},
                  {"seconds", r.seconds},
                  {"examples_per_second", r.examplesPerSecond}};
  fs::create_directories(fs::path(path).parent_path());
  platform::writeFileAtomically(path, [&](std::ostream& out) { out << j.dump() << '\n'; });
}

train::FoldResult readFoldResult(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  json j;
  try {
    j = json::parse(in);
    train::FoldResult r;
    r.fold = j.at("fold").get<int>();
    r.status = enumFromString<train::FoldStatus>(j.at("status").get<std::string>());
    r.error = j.at("error").get<std::string>();
    r.bestEpoch = j.at("best_epoch").get<int>();
    r.best = metricsFrom(j.at("best"));
    r.bestTrainAccuracy = j.at("best_train_acc").get<double>();
    // A fold that failed before it saved anything names no checkpoint.
    const auto checkpoint = j.at("checkpoint").get<std::string>();
    if (!checkpoint.empty()) r.checkpointPath = (fs::path(path).parent_path() / checkpoint).string();
    for (const auto& e : j.at("epochs")) {
      train::EpochEvent event;
      event.fold = e.at("fold").get<int>();
      event.epoch = e.at("epoch").get<int>();
      event.step = e.at("step").get<long>();
      event.trainLoss = e.at("train_loss").get<double>();
      event.trainAccuracy = e.at("train_acc").get<double>();
      event.hasValidation = e.at("has_validation").get<bool>();
      event.validation = metricsFrom(e.at("validation"));
      event.learningRate = e.at("lr").get<double>();
      event.seconds = e.at("seconds").get<double>();
      event.improved = e.at("improved").get<bool>();
      r.epochs.push_back(event);
    }
    r.trainRows = j.at("train_rows").get<std::size_t>();
    r.validationRows = j.at("validation_rows").get<std::vector<int>>();
    r.validationProbabilities = j.at("validation_probabilities").get<std::vector<std::vector<float>>>();
    r.steps = j.at("steps").get<long>();
    r.seconds = j.at("seconds").get<double>();
    r.examplesPerSecond = j.at("examples_per_second").get<double>();
    if (r.validationProbabilities.size() != r.validationRows.size())
      throw std::runtime_error("validation_probabilities and validation_rows differ in length");
    return r;
  } catch (const std::exception& e) {
    throw std::runtime_error(path + ": not a fold result: " + e.what());
  }
}

train::FoldResult trainFoldTask(const PreparedRun& p, int fold, train::TrainingObserver& observer,
                                const std::atomic<bool>& cancel) {
  const std::string resultPath = foldResultPath(p.runDir, fold);
  try {
    if (fs::exists(resultPath)) {
      auto done = readFoldResult(resultPath);
      if (done.status == train::FoldStatus::Finished || done.status == train::FoldStatus::EarlyStopped) {
        observer.onMessage("fold " + std::to_string(fold) + " finished in an earlier task: not trained again");
        return done;
      }
    }
    const int folds = foldCount(p.config);
    if (fold < 0 || fold >= folds)
      return failed(fold, "no fold " + std::to_string(fold) + ": the run has folds 0-" + std::to_string(folds - 1));
    config::ExperimentConfig c = p.config;
    if (c.kfold.enabled) c.kfold.fold = fold;
    const auto plans = planFolds(c, p.data.labels);
    const FoldPlan& plan = plans.at(0);
    observer.onRunStart(runStartEvent(p, c, plans, train::configureDevice(c.train)));
    const std::string checkpoint = foldCheckpointPath(p.runDir, fold);
    train::FoldTrainer trainer(c, p.data, fold, checkpoint);
    train::FoldResult result;
    if (fs::exists(checkpoint) && c.train.saveOptimizer) {
      observer.onMessage("fold " + std::to_string(fold) + ": resuming from " + checkpoint);
      result = trainer.resume(checkpoint, plan.train, plan.validation, observer, cancel);
    } else {
      // Without the optimizer's state a resumed fold could not continue exactly where it was.
      if (fs::exists(checkpoint))
        observer.onMessage("fold " + std::to_string(fold) + ": " + checkpoint +
                           " holds no optimizer state (train.save_optimizer is off): the fold starts again from epoch 1");
      result = trainer.train(plan.train, plan.validation, observer, cancel);
    }
    writeFoldResult(resultPath, result);
    return result;
  } catch (const std::exception& e) {
    return recordFoldFailure(p.runDir, fold, e.what());
  }
}

train::FoldResult recordFoldFailure(const std::string& runDir, int fold, const std::string& error) {
  auto result = failed(fold, error);
  // A fold that finished in an earlier task keeps its result: a resubmission reruns every task,
  // and one that cannot reopen the run (data not mounted there) must not erase finished work.
  const std::string path = foldResultPath(runDir, fold);
  if (fs::exists(path)) {
    try {
      const auto done = readFoldResult(path);
      if (done.status == train::FoldStatus::Finished || done.status == train::FoldStatus::EarlyStopped) return result;
    } catch (const std::exception&) {
      // An unreadable result is replaced by the failure that explains the task.
    }
  }
  // The merge reads the reason from the run folder: tasks write nothing else, and no other file.
  try {
    // A folder that is not there (not mounted on this node) is not created here.
    if (fs::exists(runDir + "/config.json")) writeFoldResult(path, result);
  } catch (const std::exception&) {
    // A folder that cannot be written still gets the reason in the task's log.
  }
  return result;
}

RunResult mergeFoldResults(const PreparedRun& p) {
  RunResult r;
  r.runId = p.runId;
  r.runDir = p.runDir;
  r.status = RunStatus::Finished;
  r.outOfFold.assign(p.data.size(), {});
  r.device = train::configureDevice(p.config.train);
  const auto setStatus = [&](RunStatus status, const std::string& error) {
    if (r.status == RunStatus::Failed) return;  // the first failure names the run's error
    r.status = status;
    if (!error.empty()) r.error = error;
  };
  for (int fold = 0; fold < foldCount(p.config); ++fold) {
    const int id = fold;
    const std::string path = foldResultPath(p.runDir, id);
    if (!fs::exists(path)) {
      setStatus(RunStatus::Failed, "fold " + std::to_string(id) + ": no result; its task did not finish (see its log)");
      continue;
    }
    train::FoldResult f;
    try {
      f = readFoldResult(path);
    } catch (const std::exception& e) {
      setStatus(RunStatus::Failed, "fold " + std::to_string(id) + ": " + e.what());
      continue;
    }
    for (std::size_t i = 0; i < f.validationProbabilities.size(); ++i) {
      const auto row = static_cast<std::size_t>(f.validationRows[i]);
      if (row >= r.outOfFold.size()) throw std::runtime_error(path + ": validation row " + std::to_string(row) + " out of range");
      r.outOfFold[row] = f.validationProbabilities[i];
    }
    if (f.status == train::FoldStatus::Failed) setStatus(RunStatus::Failed, "fold " + std::to_string(id) + ": " + f.error);
    else if (f.status == train::FoldStatus::Stopped) setStatus(RunStatus::Stopped, "");
    r.seconds += f.seconds;
    r.folds.push_back(std::move(f));
  }
  summarizeFolds(p, r);
  return r;
}

}  // namespace foldbench::kfold
