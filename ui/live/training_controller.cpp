#include "live/training_controller.h"

#include <QThread>

#include "app_settings.h"
#include "shared/event_buffer.h"
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
  connect(thread_, &QThread::finished, this, &TrainingController::onThreadFinished, Qt::QueuedConnection);
  status_ = QStringLiteral("failed");
  error_ = tr("the training thread ended without a result");
  runDir_.clear();
  thread_->start();
  drainTimer_.start();
  emit started();
  return true;
}

void TrainingController::stop() {
  if (thread_) cancel_.store(true);
}

void TrainingController::drain() {
  auto events = buffer_->drain();
  if (events.empty()) return;
  for (const auto& e : events) progress_.apply(e);
  emit eventsArrived(events);
}

void TrainingController::onWorkerFinished(const QString& status, const QString& error, const QString& runDir) {
  status_ = status;
  error_ = error;
  runDir_ = runDir;
  if (thread_) thread_->quit();  // the thread ends once the worker's run() has returned
}

void TrainingController::onThreadFinished() {
  if (!thread_) return;
  drainTimer_.stop();
  drain();
  joinThread();  // the thread has ended: no waiting
  emit finished(status_, error_, runDir_);
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
