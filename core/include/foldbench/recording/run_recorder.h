#pragma once
// Records a training run in the tracker (the only part of run tracking that needs the training
// engine, kept out of foldbench_tracker so that browsing runs needs no LibTorch) through the batched writer: the run and its
// parameters at the start, every step, epoch and fold event while training (as an observer),
// the cross-validation fields and artifacts at the end.
#include <cstdint>
#include <string>
#include <vector>

#include "foldbench/kfold/kfold_runner.h"
#include "foldbench/tracker/batched_writer.h"
#include "foldbench/train/observer.h"

namespace foldbench::recording {

struct RunDescription {
  std::string experiment = "default";
  std::string name;
  std::vector<std::string> tags;
  std::string note;
  std::vector<tracker::Field> fields;  // set when the run is created (a sweep trial's sweep/name, sweep/trial)
};

class RunRecorder : public train::TrainingObserver {
 public:
  // Creates the run (status running, with the flattened config as parameters) and starts its heartbeat.
  RunRecorder(tracker::BatchedWriter& writer, const kfold::PreparedRun& prepared, const RunDescription& description,
              const std::string& appVersion);
  // Records into a run the tracker already holds (a cluster run, queued at submission).
  RunRecorder(tracker::BatchedWriter& writer, const kfold::PreparedRun& prepared, std::int64_t existingRun);
  std::int64_t runId() const { return run_; }

  void onStep(const train::StepEvent& e) override;
  void onEpoch(const train::EpochEvent& e) override;
  void onFoldEnd(const train::FoldResult& r) override;

  // Cross-validation fields, artifacts (checkpoints, out-of-fold predictions, config, summary)
  // and the final status. Call once, after kfold::writeRunFiles.
  void finish(const kfold::RunResult& result);
  // Marks the run failed when training could not even start or end normally.
  void fail(const std::string& error);

 private:
  tracker::BatchedWriter& writer_;
  const kfold::PreparedRun& prepared_;
  std::int64_t run_ = 0;
};

// The tracker's description of a prepared run (status running, this host and process).
tracker::RunInfo describeRun(const kfold::PreparedRun& prepared, const RunDescription& description,
                             const std::string& appVersion);

// Flattens a JSON config into (section.key, value) pairs.
std::vector<std::pair<std::string, std::string>> flattenConfig(const std::string& configJson);

}  // namespace foldbench::recording
