#pragma once
// The sweep's side of the window's background thread: runs sweep::runSweepWorker for one sweep,
// its events going to a SweepEventBuffer. Every exception becomes the finished signal.
#include <QObject>
#include <QString>
#include <atomic>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "foldbench/sweep/sweep_runner.h"
#include "shared/event_buffer.h"
#include "shared/live_event.h"

namespace foldbench::ui {

// The worker's observer: copies what the window shows into a buffer under a mutex and returns
// at once (its callbacks run on the training thread): the trials' starts and updates, and the
// training events of the trial in hand (for the Live tab), in the order they happened.
class SweepEventBuffer : public sweep::SweepObserver {
 public:
  using Item = std::variant<tracker::TrialRecord, LiveEvent>;
  struct Events {
    std::vector<Item> items;  // trial starts and updates, training events; in order
    std::vector<std::string> messages;
    int fold = -1;   // the fold training now (-1: none since the last drain)
    int epoch = -1;  // the last epoch reported (-1: none since the last drain)
  };
  void onTrialStart(const tracker::TrialRecord& trial) override;
  void onTrialUpdate(const tracker::TrialRecord& trial) override;
  void onPhase(const train::PhaseEvent& e) override { push(e); }
  void onRunStart(const train::RunStartEvent& e) override { push(e); }
  void onRunEnd(const train::RunEndEvent& e) override { push(e); }
  void onFoldStart(int fold, std::size_t trainRows, std::size_t validationRows) override;
  void onStep(const train::StepEvent& e) override { push(e); }
  void onEpoch(const train::EpochEvent& e) override;
  void onFoldEnd(const train::FoldResult& r) override;
  void onMessage(const std::string& text) override;
  Events drain();

 private:
  void push(Item item);
  std::mutex mutex_;
  Events pending_;
  EventBuffer foldEnds_;  // makes the Live tab's FoldEndEvent of a FoldResult (training thread only)
};

class SweepWorker : public QObject {
  Q_OBJECT
 public:
  SweepWorker(std::string name, std::string databasePath, SweepEventBuffer& events, const std::atomic<bool>& cancel);
  void run();

 signals:
  void finished(const QString& summary, const QString& error);

 private:
  std::string name_, databasePath_;
  SweepEventBuffer& events_;
  const std::atomic<bool>& cancel_;
};

QString describeSummary(const sweep::WorkerSummary& summary);

}  // namespace foldbench::ui
