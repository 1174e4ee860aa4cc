#pragma once
// Runs a sweep of the window on a background thread, as the TrainingController runs one run:
// start() stores the sweep (sweep::createSweep) and runs sweep::runSweepWorker on a worker
// thread; the worker's observer only copies the trials' events into a buffer under a mutex,
// which the GUI thread drains on a timer; stop() raises the cancel flag (the trial in hand
// goes back to pending, to run again later); destroying the controller stops and joins.
// The sweep view reads the tracker itself (SweepReader); these events feed the status line
// and the log.
#include <QObject>
#include <QString>
#include <QTimer>
#include <atomic>
#include <map>
#include <memory>

#include "foldbench/config/experiment_config.h"
#include "foldbench/sweep/sweep_spec.h"
#include "foldbench/tracker/sweep_store.h"
#include "shared/live_event.h"

class QThread;

namespace foldbench::ui {

class SweepEventBuffer;
class SweepWorker;

class SweepController : public QObject {
  Q_OBJECT
 public:
  explicit SweepController(QObject* parent = nullptr);
  ~SweepController() override;

  bool isRunning() const { return thread_ != nullptr; }
  bool stopRequested() const { return cancel_.load(); }
  QString sweepName() const { return name_; }
  void setDrainIntervalMs(int ms) { drainTimer_.setInterval(ms); }

  // Stores sweep `name` over `base` in the tracker and starts running its trials; false (and
  // `error` says why: a refused spec naming its fields, a taken name) when it cannot.
  bool start(const QString& name, const sweep::SweepSpec& spec, const config::ExperimentConfig& base,
             const QString& databasePath, QString* error);
  // Runs an existing sweep again (after Stop or a crash): its pending trials, then new ones.
  bool resume(const QString& name, const QString& databasePath);
  void stop();

  // The trials this window's worker has touched, as it last reported them.
  const std::map<int, tracker::TrialRecord>& trials() const { return trials_; }
  // "trial 3, fold 2 of 5, epoch 4", or empty between trials.
  QString progressText() const;

 signals:
  void started(const QString& name);
  void trialChanged(const foldbench::tracker::TrialRecord& trial);
  void message(const QString& text);
  // The trial, fold or epoch in hand moved on (progressText()).
  void progressed();
  // A trial began training (its Running update): the Live tab starts over for it, `epochs` wide.
  void trialStarted(int trial, int epochs);
  // The training events of the trial in hand, in batches, as the TrainingController's.
  void eventsArrived(const foldbench::ui::LiveEvents& events);
  // Once the thread has ended. `summary`: "4 trials: 2 finished, 1 pruned, 1 failed; 9 fold
  // trainings"; `error` non-empty when the worker itself failed.
  void finished(const QString& summary, const QString& error);

 private:
  bool launch(const QString& name, const QString& databasePath);
  void drain();
  void onWorkerFinished(const QString& summary, const QString& error);
  void onThreadFinished();
  void joinThread();

  std::unique_ptr<SweepEventBuffer> buffer_;
  std::atomic<bool> cancel_{false};
  QThread* thread_ = nullptr;
  SweepWorker* worker_ = nullptr;
  QTimer drainTimer_;
  QString name_;
  std::map<int, tracker::TrialRecord> trials_;
  int trial_ = 0, fold_ = -1, folds_ = 0, epoch_ = 0;
  int baseEpochs_ = 1;  // train.epochs of the sweep's base config (a swept train.epochs overrides it)
  QString summary_, error_;
};

}  // namespace foldbench::ui
