// MainWindow: starting, following and stopping a run.
#include <QAction>
#include <QDir>
#include <QMessageBox>
#include <QTabWidget>

#include "app_settings.h"
#include "editor/experiment_editor.h"
#include "live/live_view.h"
#include "live/run_status_widget.h"
#include "live/training_controller.h"
#include "log/log_view.h"
#include "shared/run_status.h"
#include "main_window.h"

namespace foldbench::ui {

bool MainWindow::startRun() {
  if (controller_->isRunning()) return false;
  if (!editor_->isValid()) {
    log_->append(LogView::Level::Error, tr("cannot start:\n%1").arg(editor_->problemsText()));
    return false;
  }
  const auto& config = editor_->config();
  const QString database = settings::databasePath();
  live_->beginRun(config.train.epochs);
  tabs_->setCurrentWidget(live_);
  lastRunDir_.clear();
  log_->append(LogView::Level::Info, tr("starting %1 (%2, %3 folds, %4 epochs); tracker %5")
                                         .arg(QString::fromStdString(config.run.name.empty() ? "run" : config.run.name),
                                              QString::fromUtf8(nameOf(config.model.family)))
                                         .arg(config.kfold.enabled ? config.kfold.folds : 1)
                                         .arg(config.train.epochs)
                                         .arg(QDir::cleanPath(database)));
  controller_->start(config, database);
  status_->showProgress(controller_->progress());
  updateRunActions();
  return true;
}

void MainWindow::stopRun() {
  if (!controller_->isRunning()) return;
  controller_->stop();
  log_->append(LogView::Level::Info, tr("stop requested: the run ends after the current step"));
  updateRunActions();
}

void MainWindow::onEvents(const LiveEvents& events) {
  live_->apply(events);
  for (const auto& e : events) {
    if (const auto* m = std::get_if<MessageEvent>(&e)) {
      const QString text = QString::fromStdString(m->text);
      log_->append(text.startsWith(QLatin1String("warning")) ? LogView::Level::Warning : LogView::Level::Info, text);
    } else if (const auto* f = std::get_if<FoldEndEvent>(&e)) {
      const QString line = tr("fold %1 %2: best epoch %3, val acc %4, micro-F1 %5")
                               .arg(f->fold)
                               .arg(QString::fromLatin1(train::toString(f->status)))
                               .arg(f->bestEpoch)
                               .arg(f->best.accuracy, 0, 'f', 4)
                               .arg(f->best.microF1, 0, 'f', 4);
      log_->append(f->status == train::FoldStatus::Failed ? LogView::Level::Error : LogView::Level::Info,
                   f->error.empty() ? line : line + " — " + QString::fromStdString(f->error));
    }
  }
  if (!closeWhenSettled_) status_->showProgress(controller_->progress());
}

void MainWindow::onRunFinished(const QString& status, const QString& error, const QString& runDir) {
  lastRunDir_ = runDir;
  updateRunActions();
  if (status == statusText(RunStatus::Finished)) {
    log_->append(LogView::Level::Info, tr("run finished: %1").arg(runDir));
    status_->showIdle(tr("Finished: %1").arg(runDir));
  } else if (status == statusText(RunStatus::Stopped)) {
    log_->append(LogView::Level::Info, tr("run stopped%1").arg(runDir.isEmpty() ? QString() : ": " + runDir));
    status_->showIdle(tr("Stopped"));
  } else {
    log_->append(LogView::Level::Error, error);
    status_->showIdle(tr("Failed"));
    if (!closeWhenSettled_) {
      // Not modal: the window stays usable.
      auto* box = new QMessageBox(QMessageBox::Critical, tr("Run Failed"), tr("The run failed."), QMessageBox::Ok, this);
      box->setObjectName("runFailedDialog");
      box->setInformativeText(error);
      box->setAttribute(Qt::WA_DeleteOnClose);
      box->open();
    }
  }
  if (closeWhenSettled_) close();  // the close asked for during the run, now that it is saved
}

}  // namespace foldbench::ui
