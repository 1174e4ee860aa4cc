#pragma once
// Runs the `data check` of the chosen files off the GUI thread; only the newest request's
// result is delivered, so quick successive edits never show a stale summary.
#include <QFutureWatcher>
#include <QObject>

#include "editor/dataset_snapshot.h"

namespace foldbench::ui {

class DatasetCheck : public QObject {
  Q_OBJECT
 public:
  explicit DatasetCheck(QObject* parent = nullptr);
  ~DatasetCheck() override;

  void request(const QString& trainPath, const QString& labelsPath);
  // Takes a check made elsewhere as the newest result; a check still running is then stale.
  void adopt(const DatasetSnapshot& snapshot);
  bool isBusy() const { return watcher_.isRunning(); }
  const DatasetSnapshot& latest() const { return latest_; }

 signals:
  void checked(const foldbench::ui::DatasetSnapshot& snapshot);

 private:
  void startPending();
  QFutureWatcher<DatasetSnapshot> watcher_;
  QString pendingTrain_, pendingLabels_;
  bool hasPending_ = false;
  int generation_ = 0, runningGeneration_ = 0;
  DatasetSnapshot latest_;
};

}  // namespace foldbench::ui
