#pragma once
// Runs one ensemble export (ensemble::runExport) off the GUI thread, with progress in fold
// checkpoints and a cancel that leaves no file behind.
#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <atomic>
#include <functional>
#include <utility>
#include <memory>

#include "foldbench/ensemble/export_job.h"

namespace foldbench::ui {

struct ExportChoices;

class ExportRunner : public QObject {
  Q_OBJECT
 public:
  explicit ExportRunner(QObject* parent = nullptr);
  ~ExportRunner() override;

  bool isRunning() const { return watcher_.isRunning(); }
  void start(ensemble::LoadedRuns runs, ensemble::ExportRequest request);
  // Loads `runKeys` from `database` on the worker thread too, then exports with `choices` to a
  // new file in their folder (never an existing one), predicting the first run's test file.
  void startOneClick(const QStringList& runKeys, const QString& database, const ExportChoices& choices);
  void cancel();

 signals:
  void progress(int done, int total);
  void finished(const QString& path, const QString& summary);
  void failed(const QString& error, bool cancelled);

 private:
  struct Outcome {
    bool ok = false, cancelled = false;
    QString path, message;
  };
  using Prepare = std::function<std::pair<ensemble::LoadedRuns, ensemble::ExportRequest>()>;
  void launch(Prepare prepare);
  // The export itself, on the worker thread; `self` may be gone by the time progress is reported.
  static Outcome exportOnce(const Prepare& prepare, const std::shared_ptr<std::atomic<bool>>& cancel,
                            const QPointer<ExportRunner>& self);
  std::shared_ptr<std::atomic<bool>> cancel_;
  QFutureWatcher<Outcome> watcher_;
};

}  // namespace foldbench::ui
