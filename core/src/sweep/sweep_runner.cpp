#include "foldbench/sweep/sweep_runner.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "foldbench/sweep/racing.h"
#include "foldbench/sweep/sampler.h"
#include "foldbench/tracker/field_names.h"

namespace foldbench::sweep {

std::int64_t createSweep(const std::string& databasePath, const std::string& name, const SweepSpec& spec,
                         const config::ExperimentConfig& base) {
  auto problems = checkSpec(spec, base);
  for (const auto& p : base.validate()) problems.push_back(p);
  if (name.empty()) problems.push_back("the sweep needs a name");
  if (!problems.empty()) throw config::ConfigError("sweep " + name, problems);
  auto store = tracker::SweepStore::open(databasePath);
  return store.createSweep(name, toJson(spec), config::toJson(base));
}

namespace {

// Keeps a trial's heartbeat fresh while its folds train, from a connection of its own: what
// tells another host's worker that a trial whose process it cannot see is still alive.
class TrialHeartbeat {
 public:
  TrialHeartbeat(const std::string& path, std::int64_t sweep, int trial, int attempt)
      : attempt_(attempt), thread_([this, path, sweep, trial] { beat(path, sweep, trial); }) {}
  ~TrialHeartbeat() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  void beat(const std::string& path, std::int64_t sweep, int trial) {
    try {
      auto store = tracker::SweepStore::open(path);
      std::unique_lock<std::mutex> lock(mutex_);
      while (!wake_.wait_for(lock, std::chrono::seconds(5), [this] { return done_; })) {
        try {
          store.heartbeat(sweep, trial, attempt_);
        } catch (const std::exception&) {
          // A busy file: the next beat tries again (one failure must not end the beats, or
          // another host's worker would take the trial over).
        }
      }
    } catch (const std::exception&) {
      // The tracker cannot be opened at all: the worker's own writes report it.
    }
  }
  int attempt_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;
};

// Passes every training event on, and records the trial's side of them: its run, and each
// fold's score as the fold ends (before the race judges it).
class TrialRecorder : public train::TrainingObserver {
 public:
  TrialRecorder(SweepObserver& observer, tracker::SweepStore& store, tracker::TrialRecord& trial)
      : observer_(observer), store_(store), trial_(trial) {}
  void onPhase(const train::PhaseEvent& e) override { observer_.onPhase(e); }
  void onRunStart(const train::RunStartEvent& e) override {
    trial_.runUid = e.runId;
    store_.linkRun(trial_.sweepId, trial_.trial, e.runId, trial_.attempts);
    observer_.onRunStart(e);
    observer_.onTrialUpdate(trial_);
  }
  void onRunEnd(const train::RunEndEvent& e) override { observer_.onRunEnd(e); }
  void onFoldStart(int f, std::size_t t, std::size_t v) override { observer_.onFoldStart(f, t, v); }
  void onStep(const train::StepEvent& e) override { observer_.onStep(e); }
  void onEpoch(const train::EpochEvent& e) override { observer_.onEpoch(e); }
  void onFoldEnd(const train::FoldResult& r) override {
    observer_.onFoldEnd(r);
    if (r.bestEpoch == 0 || (r.status != train::FoldStatus::Finished && r.status != train::FoldStatus::EarlyStopped)) return;
    const tracker::FoldScore score{r.fold, r.best.accuracy};
    store_.recordFold(trial_.sweepId, trial_.trial, score, trial_.attempts);
    trial_.scores.push_back(score);
    std::vector<double> accuracies;
    for (const auto& s : trial_.scores) accuracies.push_back(s.accuracy);
    const auto stat = kfold::cvStat(std::move(accuracies));  // the statistic the run's own summary uses
    trial_.mean = stat.mean;
    trial_.stddev = stat.stddev;
    observer_.onTrialUpdate(trial_);
  }
  void onMessage(const std::string& text) override { observer_.onMessage(text); }

 private:
  SweepObserver& observer_;
  tracker::SweepStore& store_;
  tracker::TrialRecord& trial_;
};

double firstStart(const std::vector<tracker::TrialRecord>& trials) {
  double first = 0.0;
  for (const auto& t : trials)
    if (t.startedAt > 0.0 && (first == 0.0 || t.startedAt < first)) first = t.startedAt;
  return first;
}

}  // namespace

WorkerSummary runSweepWorker(const std::string& name, SweepObserver& observer, const std::atomic<bool>& cancel,
                             const WorkerOptions& options) {
  auto store = tracker::SweepStore::open(options.databasePath);
  const auto record = store.findSweep(name);
  if (!record) throw std::invalid_argument("no sweep named '" + name + "' in " + options.databasePath + " (sweep create makes one)");
  const SweepSpec spec = specFromJson(record->specJson);
  const config::ExperimentConfig base = config::fromJson(record->baseConfigJson, "sweep " + name);
  const int folds = base.kfold.folds;
  const double started = firstStart(store.trials(record->id));
  const double deadline = spec.maxSeconds > 0.0 ? (started > 0.0 ? started : tracker::nowSeconds()) + spec.maxSeconds : 0.0;

  WorkerSummary summary;
  int failuresInARow = 0;
  while (!cancel.load()) {
    if (deadline > 0.0 && tracker::nowSeconds() >= deadline) {
      summary.budgetReached = true;
      break;
    }
    auto claimed = store.claimTrial(record->id, spec.maxTrials, [&](const std::vector<tracker::TrialRecord>& existing, int n) {
      tracker::TrialRecord t;
      t.params = proposeTrial(spec, existing, n);
      t.foldOrder = foldOrderFor(spec, folds, n);
      return t;
    });
    if (!claimed) {
      summary.budgetReached = true;
      break;
    }
    tracker::TrialRecord trial = *claimed;
    ++summary.trials;
    observer.onTrialStart(trial);
    TrialHeartbeat heartbeat(options.databasePath, record->id, trial.trial, trial.attempts);

    kfold::FoldRace race;
    race.order = trial.foldOrder;
    race.judge = [&](const std::vector<train::FoldResult>&) -> std::string {
      const auto incumbent = incumbentOf(store.trials(record->id), folds);
      if (!incumbent || incumbent->trial == trial.trial) return {};
      return judge(spec.racing, trial.scores, *incumbent, folds).reason;
    };
    recording::TrackedRunOptions run;
    run.databasePath = options.databasePath;
    run.appVersion = options.appVersion;
    run.race = &race;
    run.description.name = name + "/trial-" + std::to_string(trial.trial);
    run.description.tags = {"sweep:" + name};
    run.description.fields = {{"sweep/name", std::nullopt, name}, {"sweep/trial", static_cast<double>(trial.trial), ""}};

    TrialRecorder recorder(observer, store, trial);
    tracker::TrialStatus status = tracker::TrialStatus::Failed;
    std::string reason;
    try {
      auto config = trialConfig(base, trial.params);
      if (options.threads > 0) config.train.threads = options.threads;
      config.run.name = run.description.name;
      const auto result = recording::trainTracked(config, recorder, cancel, run).result;
      summary.foldTrainings += static_cast<int>(result.folds.size());
      reason = result.error;
      switch (result.status) {
        case RunStatus::Finished: status = tracker::TrialStatus::Finished; break;
        case RunStatus::Pruned: status = tracker::TrialStatus::Pruned; break;
        case RunStatus::Stopped:
          status = tracker::TrialStatus::Pending;
          reason = "stopped during run " + result.runId + "; to run again";
          break;
        default: status = tracker::TrialStatus::Failed; break;
      }
    } catch (const kfold::RunCancelled&) {
      status = tracker::TrialStatus::Pending;
      reason = "stopped before training; to run again";
    } catch (const std::exception& e) {
      reason = e.what();
    }
    if (!store.finishTrial(record->id, trial.trial, status, reason, trial.attempts))
      observer.onMessage("trial " + std::to_string(trial.trial) + " was taken over by another worker while this one trained it " +
                         "(its heartbeat went stale); this attempt's result is not recorded");
    trial.status = status;
    trial.reason = reason;
    if (status == tracker::TrialStatus::Pending) trial.scores.clear();
    observer.onTrialUpdate(trial);
    summary.finished += status == tracker::TrialStatus::Finished;
    summary.pruned += status == tracker::TrialStatus::Pruned;
    summary.failed += status == tracker::TrialStatus::Failed;
    if (status == tracker::TrialStatus::Pending) {
      summary.stopped = true;
      break;
    }
    failuresInARow = status == tracker::TrialStatus::Failed ? failuresInARow + 1 : 0;
    if (failuresInARow == 3) {
      observer.onMessage("three trials in a row failed (the last: " + reason + "); the worker stops");
      break;
    }
  }
  if (cancel.load() && !summary.stopped) summary.stopped = true;
  return summary;
}

}  // namespace foldbench::sweep
