#include "sweep/sweep_worker.h"

#include <QCoreApplication>

namespace foldbench::ui {

void SweepEventBuffer::push(Item item) {
  std::lock_guard<std::mutex> lock(mutex_);
  pending_.items.push_back(std::move(item));
}

void SweepEventBuffer::onTrialStart(const tracker::TrialRecord& trial) { push(trial); }

void SweepEventBuffer::onTrialUpdate(const tracker::TrialRecord& trial) { push(trial); }

void SweepEventBuffer::onFoldStart(int fold, std::size_t trainRows, std::size_t validationRows) {
  std::lock_guard<std::mutex> lock(mutex_);
  pending_.fold = fold;
  pending_.epoch = 0;
  pending_.items.push_back(LiveEvent(FoldStartEvent{fold, trainRows, validationRows}));
}

void SweepEventBuffer::onEpoch(const train::EpochEvent& e) {
  std::lock_guard<std::mutex> lock(mutex_);
  pending_.fold = e.fold;
  pending_.epoch = e.epoch;
  pending_.items.push_back(LiveEvent(e));
}

void SweepEventBuffer::onFoldEnd(const train::FoldResult& r) {
  foldEnds_.onFoldEnd(r);
  for (auto& e : foldEnds_.drain()) push(std::move(e));
}

void SweepEventBuffer::onMessage(const std::string& text) {
  std::lock_guard<std::mutex> lock(mutex_);
  pending_.messages.push_back(text);
}

SweepEventBuffer::Events SweepEventBuffer::drain() {
  Events out;
  std::lock_guard<std::mutex> lock(mutex_);
  std::swap(out, pending_);
  return out;
}

SweepWorker::SweepWorker(std::string name, std::string databasePath, SweepEventBuffer& events,
                         const std::atomic<bool>& cancel)
    : name_(std::move(name)), databasePath_(std::move(databasePath)), events_(events), cancel_(cancel) {}

QString describeSummary(const sweep::WorkerSummary& s) {
  QString text = QCoreApplication::translate("SweepWorker", "%n trial(s): ", nullptr, s.trials);
  text += QCoreApplication::translate("SweepWorker", "%1 finished, %2 pruned, %3 failed; %4 fold trainings")
              .arg(s.finished)
              .arg(s.pruned)
              .arg(s.failed)
              .arg(s.foldTrainings);
  if (s.stopped) text += QCoreApplication::translate("SweepWorker", "; stopped (the trial in hand runs again on resume)");
  else if (s.budgetReached) text += QCoreApplication::translate("SweepWorker", "; budget reached");
  return text;
}

void SweepWorker::run() {
  try {
    sweep::WorkerOptions options;
    options.databasePath = databasePath_;
    options.appVersion = FOLDBENCH_VERSION;
    const auto summary = sweep::runSweepWorker(name_, events_, cancel_, options);
    emit finished(describeSummary(summary), {});
  } catch (const std::exception& e) {
    emit finished({}, QString::fromUtf8(e.what()));
  } catch (...) {
    emit finished({}, QStringLiteral("unknown error"));
  }
}

}  // namespace foldbench::ui
