#include "editor/dataset_check.h"

#include <QtConcurrent/QtConcurrentRun>

namespace foldbench::ui {

DatasetCheck::DatasetCheck(QObject* parent) : QObject(parent) {
  connect(&watcher_, &QFutureWatcher<DatasetSnapshot>::finished, this, [this] {
    if (hasPending_) {  // a newer request arrived while this one ran: its result is stale
      startPending();
      return;
    }
    if (runningGeneration_ != generation_) return;  // superseded by adopt()
    latest_ = watcher_.result();
    emit checked(latest_);
  });
}

DatasetCheck::~DatasetCheck() { watcher_.waitForFinished(); }

void DatasetCheck::request(const QString& trainPath, const QString& labelsPath) {
  pendingTrain_ = trainPath;
  pendingLabels_ = labelsPath;
  hasPending_ = true;
  if (!watcher_.isRunning()) startPending();
}

void DatasetCheck::adopt(const DatasetSnapshot& snapshot) {
  hasPending_ = false;
  ++generation_;
  latest_ = snapshot;
}

void DatasetCheck::startPending() {
  hasPending_ = false;
  runningGeneration_ = ++generation_;
  const std::string train = pendingTrain_.toStdString(), labels = pendingLabels_.toStdString();
  watcher_.setFuture(QtConcurrent::run([train, labels] { return loadSnapshot(train, labels); }));
}

}  // namespace foldbench::ui
