// MainWindow: setting up, running and following sweeps (issue 26).
#include <QAction>
#include <QTabWidget>

#include "app_settings.h"
#include "shared/config_form.h"
#include "editor/experiment_editor.h"
#include "live/live_view.h"
#include "live/run_status_widget.h"
#include "live/training_controller.h"
#include "log/log_view.h"
#include "main_window.h"
#include "sweep/sweep_controller.h"
#include "sweep/sweep_setup_dialog.h"
#include "sweep/sweep_view.h"

namespace foldbench::ui {

void MainWindow::connectSweeps() {
  connect(editor_->form(), &ConfigForm::sweepFieldRequested, this, &MainWindow::sweepField);
  connect(editor_, &ExperimentEditor::configChanged, this, [this] {
    if (sweepDialog_) sweepDialog_->setBase(editor_->config());
  });
  connect(stop_, &QAction::triggered, this, &MainWindow::stopSweep);
  connect(sweeper_, &SweepController::message, this, [this](const QString& text) {
    log_->append(text.startsWith(QLatin1String("warning")) ? LogView::Level::Warning : LogView::Level::Info, text);
  });
  connect(sweeper_, &SweepController::trialChanged, this, [this](const tracker::TrialRecord& t) {
    QStringList params;
    for (const auto& [key, value] : t.params) params << QString::fromStdString(key + "=" + value);
    switch (t.status) {
      case tracker::TrialStatus::Running:
        if (t.scores.empty() && t.runUid.empty())
          log_->append(LogView::Level::Info, tr("sweep %1: trial %2 started (%3)").arg(sweeper_->sweepName()).arg(t.trial).arg(params.join(", ")));
        break;
      case tracker::TrialStatus::Finished:
        log_->append(LogView::Level::Info, tr("sweep %1: trial %2 finished, val acc %3 ± %4")
                                               .arg(sweeper_->sweepName())
                                               .arg(t.trial)
                                               .arg(t.mean, 0, 'f', 4)
                                               .arg(t.stddev, 0, 'f', 4));
        break;
      case tracker::TrialStatus::Pruned:
        log_->append(LogView::Level::Info, tr("sweep %1: trial %2 pruned after %3 folds: %4")
                                               .arg(sweeper_->sweepName())
                                               .arg(t.trial)
                                               .arg(t.scores.size())
                                               .arg(QString::fromStdString(t.reason)));
        break;
      case tracker::TrialStatus::Failed:
        log_->append(LogView::Level::Error, tr("sweep %1: trial %2 failed: %3").arg(sweeper_->sweepName()).arg(t.trial).arg(QString::fromStdString(t.reason)));
        break;
      case tracker::TrialStatus::Pending: break;
    }
    showSweepProgress();
  });
  connect(sweeper_, &SweepController::progressed, this, &MainWindow::showSweepProgress);
  // The Live tab follows the trial in hand, starting over for each.
  connect(sweeper_, &SweepController::trialStarted, this, [this](int, int epochs) { live_->beginRun(epochs); });
  connect(sweeper_, &SweepController::eventsArrived, live_, &LiveView::apply);
  connect(sweeper_, &SweepController::finished, this, &MainWindow::onSweepFinished);
  connect(sweeps_, &SweepView::stopRequested, this, &MainWindow::stopSweep);
  connect(sweeps_, &SweepView::resumeRequested, this, &MainWindow::resumeSweep);
  connect(sweeps_, &SweepView::openConfigRequested, this, &MainWindow::cloneSettings);
  connect(sweeps_, &SweepView::compareRequested, this, &MainWindow::compareRuns);
  connect(sweeps_, &SweepView::openRunRequested, this, &MainWindow::openRun);
  connect(sweeps_, &SweepView::message, this, [this](const QString& text) { log_->append(LogView::Level::Info, text); });
}

SweepSetupDialog* MainWindow::sweepDialog() const { return sweepDialog_.data(); }

bool MainWindow::busy() const { return controller_->isRunning() || sweeper_->isRunning(); }

SweepSetupDialog* MainWindow::sweepField(const QString& key) {
  if (!sweepDialog_) {
    sweepDialog_ = new SweepSetupDialog(this);
    sweepDialog_->setAttribute(Qt::WA_DeleteOnClose);
    sweepDialog_->setBase(editor_->config());
    connect(sweepDialog_, &SweepSetupDialog::startRequested, this, &MainWindow::startSweep);
  }
  QString error;
  if (!key.isEmpty() && !sweepDialog_->addField(key, &error)) sweepDialog_->showError(error);
  sweepDialog_->show();
  sweepDialog_->raise();
  sweepDialog_->activateWindow();
  return sweepDialog_;
}

bool MainWindow::startSweep() {
  if (!sweepDialog_) return false;
  if (busy()) {
    sweepDialog_->showError(controller_->isRunning() ? tr("A run is training: start the sweep once it has ended")
                                                     : tr("A sweep is running: stop it first"));
    return false;
  }
  if (!editor_->isValid()) {
    sweepDialog_->showError(tr("The experiment has problems:\n%1").arg(editor_->problemsText()));
    return false;
  }
  const QString name = sweepDialog_->name();
  const auto spec = sweepDialog_->spec();
  const QString database = settings::databasePath();
  QString error;
  if (!sweeper_->start(name, spec, editor_->config(), database, &error)) {
    sweepDialog_->showError(error);
    log_->append(LogView::Level::Error, tr("sweep %1 not started: %2").arg(name, error));
    return false;
  }
  QStringList space;
  for (const auto& d : spec.space) space << QString::fromStdString(d.key + " " + sweep::describe(d));
  log_->append(LogView::Level::Info, tr("sweep %1 started: %2; %3 trials, %4 sampler, racing %5; tracker %6")
                                         .arg(name, space.join(", "))
                                         .arg(spec.maxTrials)
                                         .arg(QString::fromLatin1(nameOf(spec.sampler)), QString::fromLatin1(nameOf(spec.racing.test)),
                                              database));
  sweepDialog_->close();
  sweeps_->setDatabase(database);
  sweeps_->follow(name);
  tabs_->setCurrentWidget(sweeps_);
  showSweepProgress();
  updateRunActions();
  return true;
}

void MainWindow::stopSweep() {
  if (!sweeper_->isRunning() || sweeper_->stopRequested()) return;
  sweeper_->stop();
  log_->append(LogView::Level::Info, tr("sweep %1: stop requested; the trial in hand goes back to pending").arg(sweeper_->sweepName()));
  showSweepProgress();
  updateRunActions();
}

bool MainWindow::resumeSweep(const QString& name) {
  if (busy() || name.isEmpty()) return false;
  if (!sweeper_->resume(name, settings::databasePath())) return false;
  log_->append(LogView::Level::Info, tr("sweep %1 resumed").arg(name));
  sweeps_->follow(name);
  showSweepProgress();
  updateRunActions();
  return true;
}

void MainWindow::showSweepProgress() {
  const QString progress = sweeper_->progressText();
  sweeps_->setWorkerState(sweeper_->isRunning() ? sweeper_->sweepName() : QString(), progress, sweeper_->stopRequested());
  if (sweeper_->isRunning() && !closeWhenSettled_)
    status_->showBusy(sweeper_->stopRequested() ? tr("Sweep %1: stopping…").arg(sweeper_->sweepName())
                                                : tr("Sweep %1: %2").arg(sweeper_->sweepName(), progress.isEmpty() ? tr("starting a trial") : progress));
}

void MainWindow::onSweepFinished(const QString& summary, const QString& error) {
  sweeps_->setWorkerState({}, {}, false);
  updateRunActions();
  if (error.isEmpty()) {
    log_->append(LogView::Level::Info, tr("sweep %1 ended: %2").arg(sweeper_->sweepName(), summary));
    status_->showIdle(tr("Sweep %1: %2").arg(sweeper_->sweepName(), summary));
  } else {
    log_->append(LogView::Level::Error, tr("sweep %1 failed: %2").arg(sweeper_->sweepName(), error));
    status_->showIdle(tr("Sweep %1 failed").arg(sweeper_->sweepName()));
  }
  if (closeWhenSettled_ && !busy()) close();
}

}  // namespace foldbench::ui
