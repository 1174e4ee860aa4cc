#include "sweep/sweep_reader.h"

#include <QFileInfo>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <optional>

#include "foldbench/config/experiment_config.h"

namespace foldbench::ui {

// Lives on the reader's thread: owns both read-only connections and the poll timer.
class SweepReaderWorker : public QObject {
 public:
  explicit SweepReaderWorker(SweepReader* owner) : owner_(owner) {}

  void start() {
    timer_ = new QTimer(this);
    timer_->setInterval(kPollMs);
    connect(timer_, &QTimer::timeout, this, [this] { poll(false); });
    timer_->start();
    poll(true);
  }

  void setPath(const QString& path) {
    sweeps_.reset();
    runs_.reset();
    path_ = path;
    reason_.clear();
    poll(true);
  }

  void follow(const QString& name) {
    followed_ = name;
    poll(true);
  }

  // Reads when another connection committed since the last read, or when `force`d.
  void poll(bool force) {
    if (!sweeps_ && !open()) return;
    try {
      const auto version = sweeps_->dataVersion();
      if (version == version_ && !force) return;
      version_ = version;
      read();
    } catch (const std::exception& e) {
      sweeps_.reset();
      runs_.reset();
      reportUnavailable(QString::fromStdString(e.what()));
    }
  }

 private:
  static constexpr int kPollMs = 300;

  bool open() {
    if (!QFileInfo::exists(path_)) {
      reportUnavailable(QObject::tr("%1 does not exist yet; it appears with the first run or sweep").arg(path_));
      return false;
    }
    try {
      sweeps_.emplace(tracker::SweepStore::open(path_.toStdString(), tracker::RunStore::Access::ReadOnly));
      runs_.emplace(tracker::RunStore::open(path_.toStdString(), tracker::RunStore::Access::ReadOnly));
      version_ = -1;
      reason_.clear();
      return true;
    } catch (const std::exception& e) {
      sweeps_.reset();
      runs_.reset();
      reportUnavailable(QString::fromStdString(e.what()));
      return false;
    }
  }

  void read() {
    SweepSnapshot s;
    auto sweeps = sweeps_->listSweeps();
    std::sort(sweeps.begin(), sweeps.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    for (const auto& r : sweeps) s.sweepNames.push_back(r.name);
    const tracker::SweepRecord* chosen = nullptr;
    for (const auto& r : sweeps)
      if (followed_.isEmpty() ? true : r.name == followed_.toStdString()) chosen = &r;  // empty: the newest
    if (chosen) {
      s.hasSweep = true;
      s.sweep = *chosen;
      try {
        s.spec = sweep::specFromJson(chosen->specJson);
      } catch (const std::exception& e) {
        s.specError = e.what();
      }
      try {
        s.folds = config::fromJson(chosen->baseConfigJson, "sweep " + chosen->name).kfold.folds;
      } catch (const std::exception&) {
        s.folds = 0;
      }
      s.trials = sweeps_->trials(chosen->id);
      std::sort(s.trials.begin(), s.trials.end(), [](const auto& a, const auto& b) { return a.trial < b.trial; });
      for (const auto& t : s.trials) {
        if (t.runUid.empty()) continue;
        try {
          s.runIds[t.runUid] = runs_->resolve(t.runUid);
        } catch (const std::exception&) {
          // The run row is written by its own connection a moment later: next read.
        }
      }
    }
    QMetaObject::invokeMethod(owner_, [owner = owner_, s = std::move(s)]() mutable { owner->deliver(std::move(s)); },
                              Qt::QueuedConnection);
  }

  void reportUnavailable(const QString& reason) {
    if (reason == reason_) return;
    reason_ = reason;
    QMetaObject::invokeMethod(owner_, [owner = owner_, reason] { emit owner->unavailable(reason); }, Qt::QueuedConnection);
  }

  SweepReader* owner_;
  QTimer* timer_ = nullptr;
  QString path_, followed_, reason_;
  std::optional<tracker::SweepStore> sweeps_;
  std::optional<tracker::RunStore> runs_;
  std::int64_t version_ = -1;
};

SweepReader::SweepReader(const QString& databasePath, QObject* parent)
    : QObject(parent), path_(databasePath), thread_(new QThread(this)), worker_(new SweepReaderWorker(this)) {
  thread_->setObjectName("foldbench-sweep-reader");
  worker_->moveToThread(thread_);
  connect(thread_, &QThread::finished, worker_, &QObject::deleteLater);
  thread_->start();
  QMetaObject::invokeMethod(worker_, [w = worker_, path = path_] {
    w->setPath(path);
    w->start();
  });
}

SweepReader::~SweepReader() {
  thread_->quit();
  thread_->wait();
}

void SweepReader::setDatabase(const QString& path) {
  path_ = path;
  QMetaObject::invokeMethod(worker_, [w = worker_, path] { w->setPath(path); });
}

void SweepReader::follow(const QString& sweepName) {
  followed_ = sweepName;
  QMetaObject::invokeMethod(worker_, [w = worker_, sweepName] { w->follow(sweepName); });
}

void SweepReader::pollNow() {
  QMetaObject::invokeMethod(worker_, [w = worker_] { w->poll(true); });
}

void SweepReader::deliver(SweepSnapshot snapshot) {
  ++snapshots_;
  emit snapshotRead(snapshot);
}

}  // namespace foldbench::ui
