#include "live/training_worker.h"

#include "foldbench/recording/tracked_run.h"
#include "shared/event_buffer.h"

namespace foldbench::ui {

TrainingWorker::TrainingWorker(config::ExperimentConfig config, QString databasePath, EventBuffer& events,
                               const std::atomic<bool>& cancel)
    : config_(std::move(config)), databasePath_(std::move(databasePath)), events_(events), cancel_(cancel) {}

void TrainingWorker::run() {
  try {
    recording::TrackedRunOptions options;
    options.databasePath = databasePath_.toStdString();
    options.description.tags = {"gui"};
    options.appVersion = FOLDBENCH_VERSION;
    const auto run = recording::trainTracked(config_, events_, cancel_, options);
    if (!run.trackerWarning.empty()) events_.onMessage("warning: tracker: " + run.trackerWarning);
    emit finished(QString::fromLatin1(nameOf(run.result.status)), QString::fromStdString(run.result.error),
                  QString::fromStdString(run.runDir));
  } catch (const kfold::RunCancelled& e) {
    emit finished(QStringLiteral("stopped"), QString::fromUtf8(e.what()), {});
  } catch (const std::exception& e) {
    emit finished(QStringLiteral("failed"), QString::fromUtf8(e.what()), {});
  } catch (...) {
    emit finished(QStringLiteral("failed"), QStringLiteral("unknown error"), {});
  }
}

}  // namespace foldbench::ui
