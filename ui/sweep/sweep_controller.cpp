#include "sweep/sweep_controller.h"

#include <QThread>

#include "app_settings.h"
#include "foldbench/sweep/sweep_runner.h"
#include "sweep/sweep_worker.h"

namespace foldbench::ui {

SweepController::SweepController(QObject* parent) : QObject(parent), buffer_(std::make_unique<SweepEventBuffer>()) {
  drainTimer_.setInterval(settings::kChartIntervalMs.read().toInt());
  connect(&drainTimer_, &QTimer::timeout, this, &SweepController::drain);
}

SweepController::~SweepController() {
  if (thread_) {
    cancel_.store(true);
    joinThread();
  }
}

bool SweepController::start(const QString& name, const sweep::SweepSpec& spec, const config::ExperimentConfig& base,
                            const QString& databasePath, QString* error) {
  if (thread_) {
    if (error) *error = tr("a sweep is already running");
    return false;
  }
  try {
    sweep::createSweep(databasePath.toStdString(), name.toStdString(), spec, base);
  } catch (const std::exception& e) {
    if (error) *error = QString::fromUtf8(e.what());
    return false;
  }
  folds_ = base.kfold.folds;
  baseEpochs_ = base.train.epochs;
  return launch(name, databasePath);
}

bool SweepController::resume(const QString& name, const QString& databasePath) {
  if (thread_) return false;
  folds_ = 0;
  baseEpochs_ = 1;
  try {  // a quick read: the base config's folds and epochs, for the status line and Live tab
    const auto store = tracker::SweepStore::open(databasePath.toStdString(), tracker::RunStore::Access::ReadOnly);
    if (const auto record = store.findSweep(name.toStdString())) {
      const auto base = config::fromJson(record->baseConfigJson, "sweep " + record->name);
      folds_ = base.kfold.folds;
      baseEpochs_ = base.train.epochs;
    }
  } catch (const std::exception&) {
    // The worker reports an unusable tracker or unknown sweep itself.
  }
  return launch(name, databasePath);
}

bool SweepController::launch(const QString& name, const QString& databasePath) {
  cancel_.store(false);
  buffer_->drain();
  name_ = name;
  trials_.clear();
  trial_ = 0;
  fold_ = -1;
  epoch_ = 0;
  thread_ = new QThread(this);
  thread_->setObjectName(QStringLiteral("sweep"));
  worker_ = new SweepWorker(name.toStdString(), databasePath.toStdString(), *buffer_, cancel_);
  worker_->moveToThread(thread_);
  connect(thread_, &QThread::started, worker_, &SweepWorker::run);
  connect(worker_, &SweepWorker::finished, this, &SweepController::onWorkerFinished, Qt::QueuedConnection);
  connect(thread_, &QThread::finished, this, &SweepController::onThreadFinished, Qt::QueuedConnection);
  summary_.clear();
  error_ = tr("the sweep's thread ended without a result");
  thread_->start();
  drainTimer_.start();
  emit started(name);
  return true;
}

void SweepController::stop() {
  if (thread_) cancel_.store(true);
}

QString SweepController::progressText() const {
  if (!thread_ || trial_ == 0) return {};
  QString text = tr("trial %1").arg(trial_);
  if (fold_ >= 0) {
    const auto it = trials_.find(trial_);
    const int done = it == trials_.end() ? 0 : static_cast<int>(it->second.scores.size());
    text += folds_ > 0 ? tr(", fold %1 of %2").arg(done + 1).arg(folds_) : tr(", fold %1").arg(fold_);
    if (epoch_ > 0) text += tr(", epoch %1").arg(epoch_);
  }
  return text;
}

void SweepController::drain() {
  auto events = buffer_->drain();
  if (events.fold >= 0) fold_ = events.fold;
  if (events.epoch >= 0) epoch_ = events.epoch;
  const bool moved = events.fold >= 0 || events.epoch >= 0;
  for (const auto& m : events.messages) emit message(QString::fromStdString(m));
  // Training events go out in batches between the trials' updates, so a new trial's Live tab
  // never gets the previous trial's last points.
  LiveEvents batch;
  const auto flush = [&] {
    if (!batch.empty()) emit eventsArrived(batch);
    batch.clear();
  };
  for (auto& item : events.items) {
    if (auto* live = std::get_if<LiveEvent>(&item)) {
      batch.push_back(std::move(*live));
      continue;
    }
    flush();
    auto& t = std::get<tracker::TrialRecord>(item);
    const bool began = t.status == tracker::TrialStatus::Running && t.trial != trial_;
    if (t.status == tracker::TrialStatus::Running) {
      if (began) fold_ = -1, epoch_ = 0;
      trial_ = t.trial;
      if (folds_ == 0) folds_ = static_cast<int>(t.foldOrder.size());
    } else if (t.trial == trial_) {
      trial_ = 0;
    }
    trials_[t.trial] = t;
    if (began) {
      int epochs = baseEpochs_;
      for (const auto& [key, value] : t.params)
        if (key == "train.epochs") epochs = QString::fromStdString(value).toInt();
      emit trialStarted(t.trial, epochs);
    }
    emit trialChanged(trials_[t.trial]);
  }
  flush();
  if (moved) emit progressed();
}

void SweepController::onWorkerFinished(const QString& summary, const QString& error) {
  summary_ = summary;
  error_ = error;
  if (thread_) thread_->quit();
}

void SweepController::onThreadFinished() {
  if (!thread_) return;
  drainTimer_.stop();
  drain();
  joinThread();
  trial_ = 0;
  emit finished(summary_, error_);
}

void SweepController::joinThread() {
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
