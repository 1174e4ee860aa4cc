#include "foldbench/recording/tracked_run.h"

#include <memory>

#include "foldbench/platform/workspace.h"
#include "foldbench/tracker/batched_writer.h"

namespace foldbench::recording {

// This module writes the tracker's records; its names are used unqualified here.
using namespace tracker;

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
  TrackedRun run;
  run.runDir = prepared.runDir;
  run.result = kfold::runFolds(prepared, observers, cancel);
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
