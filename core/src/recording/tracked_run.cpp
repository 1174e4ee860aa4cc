#include "foldbench/recording/tracked_run.h"

#include <atomic>
#include <memory>

#include "foldbench/platform/workspace.h"
#include "foldbench/tracker/batched_writer.h"

namespace foldbench::recording {

// This module writes the tracker's records; its names are used unqualified here.
using namespace tracker;

namespace {

// Stops training when the caller cancels, or when the tracker's disk is full (SQLITE_FULL, no
// space for the journal): a run whose metrics are being lost fails, saying why, instead of
// training on unrecorded. Other tracker failures (a lock held past the busy timeout) are
// reported as a warning at the end, as before.
class TrackerWatch : public train::TrainingObserver {
 public:
  TrackerWatch(const std::atomic<bool>& cancel, const BatchedWriter* writer) : cancel_(cancel), writer_(writer) {}
  const std::atomic<bool>& stop() const { return stop_; }
  void onStep(const train::StepEvent&) override { check(); }
  void onEpoch(const train::EpochEvent&) override { check(); }
  void onFoldEnd(const train::FoldResult&) override { check(); }

 private:
  void check() {
    if (cancel_.load(std::memory_order_relaxed)) stop_.store(true);
    // The writer's lock, once per step: cheap beside a training step.
    if (writer_ && writer_->diskFull()) stop_.store(true);
  }
  const std::atomic<bool>& cancel_;
  const BatchedWriter* writer_;
  std::atomic<bool> stop_{false};
};

}  // namespace

TrackedRun trainTracked(const config::ExperimentConfig& requested, train::TrainingObserver& observer,
                        const std::atomic<bool>& cancel, const TrackedRunOptions& options) {
  config::ExperimentConfig config = requested;
  config.run.outputDir = platform::runFolderFor(config.run.outputDir, options.databasePath);
  // The tracker is opened first: a bad database stops the run before any training.
  std::unique_ptr<BatchedWriter> writer;
  if (options.track) writer = std::make_unique<BatchedWriter>(options.databasePath);
  const auto prepared = kfold::prepareRun(config, observer, &cancel);
  observer.onMessage("run " + prepared.runId + " in " + prepared.runDir);
  train::ObserverList observers;
  observers.add(&observer);
  std::unique_ptr<RunRecorder> recorder;
  if (writer) {
    recorder = std::make_unique<RunRecorder>(*writer, prepared, options.description, options.appVersion);
    observers.add(recorder.get());
  }
  TrackerWatch watch(cancel, writer.get());
  observers.add(&watch);
  TrackedRun run;
  run.runDir = prepared.runDir;
  run.result = kfold::runFolds(prepared, observers, watch.stop(), options.race);
  if (writer && writer->diskFull()) {
    run.result.status = RunStatus::Failed;
    run.result.error = "the tracker could not record the run, so training stopped (" + writer->error() +
                       "); its checkpoints and files are in " + prepared.runDir;
  }
  try {
    kfold::writeRunFiles(prepared, run.result);
  } catch (const std::exception& e) {
    if (recorder) recorder->fail(std::string("cannot write the run files: ") + e.what());
    throw;
  }
  if (recorder) {
    recorder->finish(run.result);
    run.trackerWarning = writer->error();
  }
  return run;
}

}  // namespace foldbench::recording
