#include "export/export_runner.h"

#include <QLocale>
#include <QPointer>
#include <filesystem>

#include "export/export_choices.h"
#include "foldbench/platform/own_thread.h"
#include <QtConcurrent/QtConcurrentRun>

namespace foldbench::ui {

ExportRunner::ExportRunner(QObject* parent) : QObject(parent) {
  connect(&watcher_, &QFutureWatcherBase::finished, this, [this] {
    const auto outcome = watcher_.result();
    if (outcome.ok) emit finished(outcome.path, outcome.message);
    else emit failed(outcome.message, outcome.cancelled);
  });
}

ExportRunner::~ExportRunner() {
  cancel();
  watcher_.waitForFinished();
}

void ExportRunner::start(ensemble::LoadedRuns runs, ensemble::ExportRequest request) {
  launch([runs = std::move(runs), request = std::move(request)] { return std::make_pair(runs, request); });
}

void ExportRunner::startOneClick(const QStringList& runKeys, const QString& database, const ExportChoices& choices) {
  std::vector<std::string> keys;
  for (const auto& k : runKeys) keys.push_back(k.toStdString());
  launch([keys, db = database.toStdString(), choices] {
    auto runs = ensemble::loadExportRuns(keys, db);
    const auto& first = runs.runs[0];
    ensemble::ExportRequest request;
    request.options = choices.options(first.config.data.noRelationLabel);
    request.format = choices.submissionFormat();
    request.testPath = first.config.data.testPath;
    if (request.testPath.empty()) throw std::runtime_error("run " + first.uid + " names no test file (data.test_path)");
    std::filesystem::create_directories(choices.folder.toStdString());
    request.outPath = ensemble::freshSubmissionPath(choices.folder.toStdString(),
                                                    first.config.run.name.empty() ? first.uid : first.config.run.name);
    request.overwrite = false;  // a fresh name, and never a replacement
    request.database = db;
    return std::make_pair(std::move(runs), request);
  });
}

void ExportRunner::launch(Prepare prepare) {
  if (isRunning()) return;
  cancel_ = std::make_shared<std::atomic<bool>>(false);
  QPointer<ExportRunner> self(this);
  // Predicting runs LibTorch's OpenMP teams: on a thread of its own, not on the pooled thread,
  // so that no idle team outlives the export and slows a training run started after it.
  watcher_.setFuture(QtConcurrent::run([prepare = std::move(prepare), cancel = cancel_, self] {
    return platform::onThreadOfItsOwn([&] { return exportOnce(prepare, cancel, self); });
  }));
}

ExportRunner::Outcome ExportRunner::exportOnce(const Prepare& prepare, const std::shared_ptr<std::atomic<bool>>& cancel,
                                               const QPointer<ExportRunner>& self) {
  Outcome o;
  const auto report = [self](int done, int total) {
    if (self) QMetaObject::invokeMethod(self.data(), [self, done, total] { if (self) emit self->progress(done, total); });
  };
  try {
    const auto [runs, request] = prepare();
    o.path = QString::fromStdString(request.outPath);
    const auto r = ensemble::runExport(runs, request, report, cancel.get());
    o.ok = true;
    o.message = QObject::tr("%1 rows, %2 fold checkpoints (%3 read, %4 from the cache) in %5 s; sha256 %6")
                    .arg(r.rows)
                    .arg(r.prediction.members)
                    .arg(r.prediction.checkpointsLoaded)
                    .arg(r.prediction.members - r.prediction.checkpointsLoaded)
                    .arg(r.predictSeconds, 0, 'f', 1)
                    .arg(QString::fromStdString(r.sha256.substr(0, 16)));
    if (r.testScore)
      o.message += QObject::tr("; the test file is labelled: ensemble accuracy %1, micro-F1 %2 on its %3 rows")
                       .arg(QLocale().toString(r.testScore->accuracy, 'f', 4))
                       .arg(QLocale().toString(r.testScore->microF1, 'f', 4))
                       .arg(r.testScore->rows);
    if (!r.recordError.empty())
      o.message += QObject::tr("; not recorded in the tracker: %1").arg(QString::fromStdString(r.recordError));
  } catch (const ensemble::PredictionCancelled&) {
    o.cancelled = true;
    o.message = QObject::tr("Export cancelled; nothing was written.");
  } catch (const std::exception& e) {
    o.message = QString::fromStdString(e.what());
  }
  return o;
}

void ExportRunner::cancel() {
  if (cancel_) cancel_->store(true);
}

}  // namespace foldbench::ui
