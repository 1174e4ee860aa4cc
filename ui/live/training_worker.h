#pragma once
// Runs one tracked training run on the thread it was moved to (QThread + worker object).
// Every exception is turned into the finished signal; none reaches the event loop.
#include <QObject>
#include <QString>
#include <atomic>

#include "foldbench/config/experiment_config.h"

namespace foldbench::ui {

class EventBuffer;

class TrainingWorker : public QObject {
  Q_OBJECT
 public:
  TrainingWorker(config::ExperimentConfig config, QString databasePath, EventBuffer& events,
                 const std::atomic<bool>& cancel);

  void run();

 signals:
  // status: finished | stopped | failed; runDir empty when no run directory was made.
  void finished(const QString& status, const QString& error, const QString& runDir);

 private:
  config::ExperimentConfig config_;
  QString databasePath_;
  EventBuffer& events_;
  const std::atomic<bool>& cancel_;
};

}  // namespace foldbench::ui
