#pragma once
// The sweep view's connection to the tracker: a read-only SweepStore (and a RunStore, to turn the
// trials' run uids into run ids) on a thread of its own, polling SQLite's data_version as the
// window's TrackerReader does. When another connection committed (a trial claimed, a fold
// scored, a trial pruned, by this window's sweep or a `foldbench-cli sweep run` elsewhere), it
// reads the followed sweep whole and hands the snapshot to the GUI thread.
#include <QObject>
#include <QString>

#include "sweep/sweep_snapshot.h"

class QThread;

namespace foldbench::ui {

class SweepReaderWorker;

class SweepReader : public QObject {
  Q_OBJECT
 public:
  explicit SweepReader(const QString& databasePath, QObject* parent = nullptr);
  ~SweepReader() override;

  void setDatabase(const QString& path);
  QString database() const { return path_; }
  // The sweep to read; empty: the newest one. Reads it now.
  void follow(const QString& sweepName);
  QString followed() const { return followed_; }
  // Reads again now instead of at the next change.
  void pollNow();
  int snapshotCount() const { return snapshots_; }  // snapshots delivered, for tests

 signals:
  void snapshotRead(const foldbench::ui::SweepSnapshot& snapshot);
  void unavailable(const QString& reason);

 private:
  friend class SweepReaderWorker;
  void deliver(SweepSnapshot snapshot);

  QString path_, followed_;
  QThread* thread_;
  SweepReaderWorker* worker_;
  int snapshots_ = 0;
};

}  // namespace foldbench::ui
