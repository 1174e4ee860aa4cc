#pragma once
// Training events for whoever listens (CLI progress, tracker, GUI). Plain C++, no Qt.
// Callbacks run on the training thread: implementations must only copy the event into a
// buffer or queue, never block on disk or a GUI.
#include <string>
#include <vector>

#include "foldbench/train/metrics.h"
#include "foldbench/util/run_status.h"

namespace foldbench::train {

struct StepEvent {
  int fold = 0;
  int epoch = 0;        // 1-based
  long step = 0;        // optimizer steps so far in this fold
  long totalSteps = 0;
  double loss = 0.0;    // mean over the steps since the last event
  double accuracy = 0.0;
  double learningRate = 0.0;
  double examplesPerSecond = 0.0;
};

struct EpochEvent {
  int fold = 0;
  int epoch = 0;
  long step = 0;
  double trainLoss = 0.0;
  double trainAccuracy = 0.0;
  bool hasValidation = false;
  EvalMetrics validation;
  double learningRate = 0.0;
  double seconds = 0.0;
  bool improved = false;  // this evaluation became the kept checkpoint
};

// The phases of a run, in order. Preparation (loading, tokenizer, encoding) happens once;
// training covers every fold.
enum class RunPhase { Loading, Tokenizer, Encoding, Training, Writing };
const char* toString(RunPhase phase);

struct PhaseEvent {
  RunPhase phase = RunPhase::Loading;
  std::size_t done = 0;
  std::size_t total = 0;  // 0: unknown (a spinner, not a bar)
};

struct RunStartEvent {
  std::string runId;
  std::string runDir;
  int folds = 0;          // folds this run trains
  long totalSteps = 0;    // optimizer steps over all of them, for progress and ETA
  std::size_t rows = 0;
  int labels = 0;
  std::string device;     // "cpu" or "cuda:0"
  int threads = 0;
};

struct RunEndEvent {
  RunStatus status = RunStatus::Finished;  // finished, stopped or failed
  std::string error;
  double seconds = 0.0;
};

enum class FoldStatus { Finished, EarlyStopped, Stopped, Failed };
const char* toString(FoldStatus status);  // nameOf(status)

struct FoldResult {
  int fold = 0;
  FoldStatus status = FoldStatus::Finished;
  std::string error;
  int bestEpoch = 0;  // 0: no evaluation yet
  EvalMetrics best;
  double bestTrainAccuracy = 0.0;
  std::string checkpointPath;
  std::vector<EpochEvent> epochs;
  std::size_t trainRows = 0;                              // training rows, oversampling included
  std::vector<int> validationRows;                        // dataset row indices
  std::vector<std::vector<float>> validationProbabilities;  // at the best epoch, per validationRows entry
  long steps = 0;
  double seconds = 0.0;
  double examplesPerSecond = 0.0;
};

class TrainingObserver {
 public:
  virtual ~TrainingObserver() = default;
  virtual void onPhase(const PhaseEvent&) {}
  virtual void onRunStart(const RunStartEvent&) {}
  virtual void onRunEnd(const RunEndEvent&) {}
  virtual void onFoldStart(int /*fold*/, std::size_t /*trainRows*/, std::size_t /*validationRows*/) {}
  virtual void onStep(const StepEvent&) {}
  virtual void onEpoch(const EpochEvent&) {}
  virtual void onFoldEnd(const FoldResult&) {}
  virtual void onMessage(const std::string& /*text*/) {}
};

// Forwards every event to several observers.
class ObserverList : public TrainingObserver {
 public:
  void add(TrainingObserver* o) { observers_.push_back(o); }
  void onPhase(const PhaseEvent& e) override {
    for (auto* o : observers_) o->onPhase(e);
  }
  void onRunStart(const RunStartEvent& e) override {
    for (auto* o : observers_) o->onRunStart(e);
  }
  void onRunEnd(const RunEndEvent& e) override {
    for (auto* o : observers_) o->onRunEnd(e);
  }
  void onFoldStart(int f, std::size_t t, std::size_t v) override {
    for (auto* o : observers_) o->onFoldStart(f, t, v);
  }
  void onStep(const StepEvent& e) override {
    for (auto* o : observers_) o->onStep(e);
  }
  void onEpoch(const EpochEvent& e) override {
    for (auto* o : observers_) o->onEpoch(e);
  }
  void onFoldEnd(const FoldResult& r) override {
    for (auto* o : observers_) o->onFoldEnd(r);
  }
  void onMessage(const std::string& m) override {
    for (auto* o : observers_) o->onMessage(m);
  }

 private:
  std::vector<TrainingObserver*> observers_;
};

}  // namespace foldbench::train

template <>
struct foldbench::EnumNames<foldbench::train::FoldStatus> {
  static const std::vector<std::pair<train::FoldStatus, const char*>>& all() {
    static const std::vector<std::pair<train::FoldStatus, const char*>> names = {
        {train::FoldStatus::Finished, "finished"}, {train::FoldStatus::EarlyStopped, "early_stopped"},
        {train::FoldStatus::Stopped, "stopped"}, {train::FoldStatus::Failed, "failed"}};
    return names;
  }
};
