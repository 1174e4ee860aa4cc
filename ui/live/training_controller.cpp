#include "live/training_controller.h"

#include <QCoreApplication>
#include <QThread>

#include "app_settings.h"
#include "live/event_buffer.h"
#include "live/training_worker.h"

namespace foldbench::ui {

TrainingController::TrainingController(QObject* parent) : QObject(parent), buffer_(std::make_unique<EventBuffer>()) {
  drainTimer_.setInterval(settings::kChartIntervalMs.read().toInt());
  connect(&drainTimer_, &QTimer::timeout, this, &TrainingController::drain);
}

TrainingController::~TrainingController() {
  if (thread_) {
    cancel_.store(true);
    joinThread();
  }
}

bool TrainingController::start(const config::ExperimentConfig& config, const QString& databasePath) {
  if (thread_) return false;
  cancel_.store(false);
  buffer_->drain();
  progress_.reset(config.train.epochs);
  thread_ = new QThread(this);
  thread_->setObjectName(QStringLiteral("training"));
  worker_ = new TrainingWorker(config, databasePath, *buffer_, cancel_);
  worker_->moveToThread(thread_);
  connect(thread_, &QThread::started, worker_, &TrainingWorker::run);
  connect(worker_, &TrainingWorker::finished, this, &TrainingController::onWorkerFinished, Qt::QueuedConnection);
  thread_->start();
  drainTimer_.start();
  emit started();
  return true;
}

void TrainingController::stop() {
  if (thread_) cancel_.store(true);
}

bool TrainingController::stopAndWait(int ms) {
  if (!thread_) return true;
  cancel_.store(true);
  thread_->quit();  // takes effect once the worker's run() has returned
  if (!thread_->wait(ms < 0 ? QDeadlineTimer(QDeadlineTimer::Forever) : QDeadlineTimer(ms))) return false;
  // The worker's finished signal is still queued: deliver its outcome now.
  QCoreApplication::sendPostedEvents(this);
  if (thread_) joinThread();
  return true;
}

void TrainingController::drain() {
  auto events = buffer_->drain();
  if (events.empty()) return;
  for (const auto& e : events) progress_.apply(e);
  emit eventsArrived(events);
}

void TrainingController::onWorkerFinished(const QString& status, const QString& error, const QString& runDir) {
  drainTimer_.stop();
  drain();
  joinThread();
  emit finished(status, error, runDir);
}

void TrainingController::joinThread() {
  if (!thread_) return;
  thread_->quit();
  thread_->wait();
  delete worker_;
  worker_ = nullptr;
  delete thread_;
  thread_ = nullptr;
  drainTimer_.stop();
}

}  // namespace foldbench::ui
