#include "tracker/tracker_reader.h"

#include <QFileInfo>
#include <QThread>
#include <QTimer>
#include <optional>

namespace foldbench::ui {

// Lives on the reader's thread: owns the read-only connection and the poll timer.
class StoreWorker : public QObject {
  Q_OBJECT
 public:
  explicit StoreWorker(TrackerReader* owner) : owner_(owner) {}

  void start() {
    timer_ = new QTimer(this);
    timer_->setInterval(300);
    connect(timer_, &QTimer::timeout, this, &StoreWorker::poll);
    timer_->start();
    poll();
  }

  void setPath(const QString& path) {
    store_.reset();
    path_ = path;
    reason_.clear();
    poll();
  }

  void poll() {
    if (!store_) {
      open();
      return;
    }
    try {
      const auto version = store_->dataVersion();
      if (version != version_) {
        version_ = version;
        emit owner_->changed();
      }
    } catch (const std::exception& e) {
      store_.reset();
      reportUnavailable(QString::fromStdString(e.what()));
    }
  }

  void run(const std::function<void(const tracker::RunStore*, const QString&)>& task) {
    if (!store_) open();
    task(store_ ? &*store_ : nullptr, reason_);
  }

  QString path() const { return path_; }

 private:
  void open() {
    if (!QFileInfo::exists(path_)) {
      reportUnavailable(QObject::tr("%1 does not exist yet; it appears with the first run").arg(path_));
      return;
    }
    try {
      store_.emplace(tracker::RunStore::open(path_.toStdString(), tracker::RunStore::Access::ReadOnly));
      version_ = store_->dataVersion();
      reason_.clear();
      emit owner_->changed();
    } catch (const std::exception& e) {
      reportUnavailable(QString::fromStdString(e.what()));
    }
  }

  void reportUnavailable(const QString& reason) {
    if (reason == reason_) return;
    reason_ = reason;
    emit owner_->unavailable(reason);
  }

  TrackerReader* owner_;
  QTimer* timer_ = nullptr;
  QString path_;
  QString reason_;
  std::optional<tracker::RunStore> store_;
  std::int64_t version_ = -1;
};

TrackerReader::TrackerReader(const QString& databasePath, QObject* parent)
    : QObject(parent), path_(databasePath), thread_(new QThread(this)), worker_(new StoreWorker(this)) {
  thread_->setObjectName("foldbench-store");
  worker_->moveToThread(thread_);
  connect(thread_, &QThread::finished, worker_, &QObject::deleteLater);
  thread_->start();
  QMetaObject::invokeMethod(worker_, [w = worker_, path = path_] {
    w->setPath(path);
    w->start();
  });
}

TrackerReader::~TrackerReader() {
  thread_->quit();
  thread_->wait();
}

void TrackerReader::setDatabase(const QString& path) {
  path_ = path;
  QMetaObject::invokeMethod(worker_, [w = worker_, path] { w->setPath(path); });
}

void TrackerReader::pollNow() {
  QMetaObject::invokeMethod(worker_, [w = worker_] { w->poll(); });
}

void TrackerReader::post(Task task) {
  QMetaObject::invokeMethod(worker_, [w = worker_, task = std::move(task)] { w->run(task); });
}

void TrackerReader::deliver(const QPointer<QObject>& context, std::function<void()> fn) {
  if (!context) return;
  QMetaObject::invokeMethod(context.data(), std::move(fn), Qt::QueuedConnection);
}

void TrackerReader::write(QObject* context, std::function<void(tracker::RunStore&)> work, std::function<void(QString)> done) {
  QPointer<QObject> guard(context);
  QMetaObject::invokeMethod(worker_, [this, w = worker_, guard, work = std::move(work), done = std::move(done)] {
    QString error;
    try {
      auto store = tracker::RunStore::open(w->path().toStdString(), tracker::RunStore::Access::ReadWrite);
      work(store);
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    w->poll();
    emit wrote();
    deliver(guard, [done, error] { if (done) done(error); });
  });
}

}  // namespace foldbench::ui

#include "tracker_reader.moc"
