#pragma once
// Owns the training thread of the window: starts a run on a worker thread, drains the events
// the worker buffers on a timer and hands them to the views in batches, stops a run on
// request, and never outlives its thread (destroying it mid-run stops the run and joins).
// finished() comes once the thread has ended, so the GUI thread never waits for the worker.
#include <QObject>
#include <QString>
#include <QTimer>
#include <atomic>
#include <memory>

#include "foldbench/config/experiment_config.h"
#include "shared/live_event.h"
#include "live/run_progress.h"

class QThread;

namespace foldbench::ui {

class EventBuffer;
class TrainingWorker;

class TrainingController : public QObject {
  Q_OBJECT
 public:
  explicit TrainingController(QObject* parent = nullptr);
  ~TrainingController() override;

  bool isRunning() const { return thread_ != nullptr; }
  bool stopRequested() const { return cancel_.load(); }
  const RunProgress& progress() const { return progress_; }
  void setDrainIntervalMs(int ms) { drainTimer_.setInterval(ms); }

  // False (and nothing starts) while a run is in progress.
  bool start(const config::ExperimentConfig& config, const QString& databasePath);
  // Asks the run to end within one step; finished() follows once the run is saved.
  void stop();

 signals:
  void started();
  void eventsArrived(const foldbench::ui::LiveEvents& events);
  void finished(const QString& status, const QString& error, const QString& runDir);

 private:
  void drain();
  void onWorkerFinished(const QString& status, const QString& error, const QString& runDir);
  void onThreadFinished();
  void joinThread();

  std::unique_ptr<EventBuffer> buffer_;
  std::atomic<bool> cancel_{false};
  QThread* thread_ = nullptr;
  TrainingWorker* worker_ = nullptr;
  QTimer drainTimer_;
  RunProgress progress_;
  QString status_, error_, runDir_;  // the worker's outcome, told once its thread has ended
};

}  // namespace foldbench::ui
