#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QToolBar>

#include "app_settings.h"
#include "foldbench/platform/blas_kernels.h"
#include "editor/dataset_panel.h"
#include "editor/experiment_editor.h"
#include "live/live_view.h"
#include "live/run_status_widget.h"
#include "live/training_controller.h"
#include "compare/compare_view.h"
#include "export/export_choices.h"
#include "export/export_dialog.h"
#include "export/export_runner.h"
#include "detail/run_detail_view.h"
#include "runs/runs_view.h"
#include "tracker/tracker_reader.h"
#include "log/log_view.h"
#include "sweep/sweep_controller.h"
#include "sweep/sweep_view.h"

namespace foldbench::ui {


MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      editor_(new ExperimentEditor),
      panel_(new DatasetPanel),
      live_(new LiveView),
      log_(new LogView),
      controller_(new TrainingController(this)),
      status_(new RunStatusWidget),
      tabs_(new QTabWidget),
      store_(new TrackerReader(settings::databasePath(), this)),
      runs_(new RunsView(store_)),
      detail_(new RunDetailView(store_)),
      compare_(new CompareView(store_)),
      quickExport_(new ExportRunner(this)),
      sweeper_(new SweepController(this)),
      sweeps_(new SweepView(settings::databasePath())) {
  setWindowTitle(tr("Foldbench"));
  setObjectName("mainWindow");
  setDockNestingEnabled(true);

  tabs_->setDocumentMode(true);
  tabs_->addTab(live_, tr("Live"));
  tabs_->addTab(panel_, tr("Dataset"));
  tabs_->addTab(runs_, tr("Runs"));
  tabs_->addTab(detail_, tr("Run"));
  tabs_->addTab(compare_, tr("Compare"));
  tabs_->addTab(sweeps_, tr("Sweep"));
  setCentralWidget(tabs_);

  auto* editorDock = new QDockWidget(tr("Experiment"), this);
  editorDock->setObjectName("experimentDock");
  editorDock->setWidget(editor_);
  editorDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
  addDockWidget(Qt::LeftDockWidgetArea, editorDock);
  auto* logDock = new QDockWidget(tr("Log"), this);
  logDock->setObjectName("logDock");
  logDock->setWidget(log_);
  addDockWidget(Qt::BottomDockWidgetArea, logDock);
  resizeDocks({editorDock}, {400}, Qt::Horizontal);
  resizeDocks({logDock}, {130}, Qt::Vertical);

  statusBar()->addWidget(status_, 1);
  auto* blas = new QLabel(tr("BLAS: %1").arg(QString::fromStdString(platform::currentBlasChoice().core.empty()
                                                                        ? std::string("?")
                                                                        : platform::currentBlasChoice().core)));
  blas->setObjectName("blasKernels");
  blas->setToolTip(QString::fromStdString(platform::blasSummary()));
  statusBar()->addPermanentWidget(blas);
  createActions();
  createMenus();
  viewMenu_->addAction(editorDock->toggleViewAction());
  viewMenu_->addAction(logDock->toggleViewAction());

  connect(editor_, &ExperimentEditor::validityChanged, this, [this] { updateRunActions(); });
  connect(editor_, &ExperimentEditor::datasetChecked, panel_, &DatasetPanel::showSnapshot);
  connect(controller_, &TrainingController::eventsArrived, this, &MainWindow::onEvents);
  connect(controller_, &TrainingController::finished, this, &MainWindow::onRunFinished);
  connect(runs_, &RunsView::openRequested, this, &MainWindow::openRun);
  connect(runs_, &RunsView::compareRequested, this, &MainWindow::compareRuns);
  connect(runs_, &RunsView::cloneRequested, this, &MainWindow::cloneSettings);
  connect(runs_, &RunsView::exportRequested, this, &MainWindow::showExportDialog);
  connect(runs_, &RunsView::quickExportRequested, this, &MainWindow::exportOneClick);
  connect(detail_, &RunDetailView::exportRequested, this, &MainWindow::showExportDialog);
  connect(quickExport_, &ExportRunner::finished, this, [this](const QString& path, const QString& summary) {
    log_->append(LogView::Level::Info, tr("wrote %1: %2").arg(path, summary));
    status_->showIdle(tr("Wrote %1").arg(path));
  });
  connect(quickExport_, &ExportRunner::failed, this, [this](const QString& message, bool) {
    log_->append(LogView::Level::Error, tr("export: %1").arg(message));
    status_->showIdle(tr("Export failed: %1").arg(message));
  });
  const auto toLog = [this](const QString& text) { log_->append(LogView::Level::Info, text); };
  connect(runs_, &RunsView::message, this, toLog);
  connect(detail_, &RunDetailView::message, this, toLog);
  connect(compare_, &CompareView::message, this, toLog);
  connectSweeps();

  confirmStopOnClose = [this] {
    return QMessageBox::question(this, tr("Stop Training?"),
                                 tr("A run is training. Stop it and close? Everything logged so far and the best "
                                    "checkpoints are kept; the run is recorded as stopped.")) == QMessageBox::Yes;
  };
  resize(1360, 860);
  const QByteArray geometry = settings::kGeometry.read().toByteArray();
  if (!geometry.isEmpty()) restoreGeometry(geometry);
  const QByteArray state = settings::kWindowState.read().toByteArray();
  if (!state.isEmpty()) restoreState(state);
  updateRunActions();
}

MainWindow::~MainWindow() = default;  // the controller, a child, stops and joins its thread

void MainWindow::setResourceDirs(const QString& sampleDataDir, const QString& sourceDir) {
  editor_->setResourceDirs(sampleDataDir, sourceDir);
}

void MainWindow::createActions() {
  const auto icon = [this](QStyle::StandardPixmap p) { return style()->standardIcon(p); };
  start_ = new QAction(icon(QStyle::SP_MediaPlay), tr("&Start"), this);
  start_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
  connect(start_, &QAction::triggered, this, &MainWindow::startRun);
  stop_ = new QAction(icon(QStyle::SP_MediaStop), tr("S&top"), this);
  stop_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
  stop_->setToolTip(tr("Stop training within one step (Ctrl+.)"));
  connect(stop_, &QAction::triggered, this, &MainWindow::stopRun);
  openDataset_ = new QAction(icon(QStyle::SP_DirOpenIcon), tr("&Open Dataset…"), this);
  openDataset_->setShortcut(QKeySequence::Open);
  connect(openDataset_, &QAction::triggered, this, &MainWindow::chooseDataset);
  openConfig_ = new QAction(icon(QStyle::SP_FileDialogStart), tr("Open &Config…"), this);
  openConfig_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
  connect(openConfig_, &QAction::triggered, this, &MainWindow::chooseConfig);
  saveConfig_ = new QAction(icon(QStyle::SP_DialogSaveButton), tr("&Save Config"), this);
  saveConfig_->setShortcut(QKeySequence::Save);
  connect(saveConfig_, &QAction::triggered, this, &MainWindow::saveConfig);
  saveConfigAs_ = new QAction(tr("Save Config &As…"), this);
  saveConfigAs_->setShortcut(QKeySequence::SaveAs);
  connect(saveConfigAs_, &QAction::triggered, this, &MainWindow::saveConfigAs);
  preferences_ = new QAction(icon(QStyle::SP_FileDialogDetailedView), tr("&Preferences…"), this);
  preferences_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
  connect(preferences_, &QAction::triggered, this, &MainWindow::showPreferences);
  undo_ = editor_->undoStack()->createUndoAction(this, tr("&Undo"));
  undo_->setShortcut(QKeySequence::Undo);
  redo_ = editor_->undoStack()->createRedoAction(this, tr("&Redo"));
  redo_->setShortcut(QKeySequence::Redo);

  export_ = new QAction(icon(QStyle::SP_DialogSaveButton), tr("&Export Submission…"), this);
  export_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
  export_->setToolTip(tr("Ensemble the selected runs (Runs tab) or the open run into a submission (Ctrl+E)"));
  connect(export_, &QAction::triggered, this, [this] {
    QList<qint64> ids = tabs_->currentWidget() == detail_ && detail_->runId() > 0 ? QList<qint64>{detail_->runId()}
                                                                                  : runs_->selectedRunIds();
    showExportDialog(ids);
  });
  auto* bar = addToolBar(tr("Main"));
  bar->setObjectName("mainToolBar");
  bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  for (QAction* a : {start_, stop_}) bar->addAction(a);
  bar->addSeparator();
  for (QAction* a : {openDataset_, openConfig_, saveConfig_, preferences_}) bar->addAction(a);
  bar->addSeparator();
  bar->addAction(export_);
}

void MainWindow::openRun(qint64 id) {
  detail_->showRun(id);
  tabs_->setCurrentWidget(detail_);
}

void MainWindow::compareRuns(const QList<qint64>& ids) {
  compare_->compare(ids);
  tabs_->setCurrentWidget(compare_);
}

ExportDialog* MainWindow::showExportDialog(const QList<qint64>& ids) {
  if (ids.isEmpty()) {
    log_->append(LogView::Level::Info, tr("select one or more runs in the Runs tab to export"));
    return nullptr;
  }
  QStringList keys;
  for (auto id : ids) keys << QString::number(id);
  auto* dialog = new ExportDialog(keys, store_->database(), this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &ExportDialog::exported, this, [this](const QString& path, const QString& summary) {
    log_->append(LogView::Level::Info, tr("wrote %1: %2").arg(path, summary));
  });
  dialog->show();
  return dialog;
}

void MainWindow::exportOneClick(const QList<qint64>& ids) {
  if (ids.isEmpty()) return;
  if (quickExport_->isRunning()) {
    log_->append(LogView::Level::Info, tr("an export is already running"));
    return;
  }
  QStringList keys;
  for (auto id : ids) keys << QString::number(id);
  status_->showIdle(tr("Exporting…"));
  quickExport_->startOneClick(keys, store_->database(), ExportChoices::load());
}

void MainWindow::cloneSettings(const QString& configJson) {
  try {
    editor_->setConfig(config::fromJson(configJson.toStdString(), "the run's config"), editor_->baselineName());
    log_->append(LogView::Level::Info, tr("settings of the run copied into the editor (Ctrl+Z undoes)"));
  } catch (const std::exception& e) {
    log_->append(LogView::Level::Error, QString::fromStdString(e.what()));
  }
}

void MainWindow::updateRunActions() {
  const bool running = busy();
  const bool valid = editor_->isValid();
  start_->setEnabled(!running && valid);
  stop_->setEnabled((controller_->isRunning() && !controller_->stopRequested()) ||
                    (sweeper_->isRunning() && !sweeper_->stopRequested()));
  startBlockedReason_ = controller_->isRunning() ? tr("A run is in progress")
                        : sweeper_->isRunning()  ? tr("A sweep is in progress")
                        : valid                  ? QString()
                                                 : editor_->problemsText();
  start_->setToolTip(startBlockedReason_.isEmpty() ? tr("Start training the experiment (Ctrl+R)")
                                                   : tr("Cannot start:\n%1").arg(startBlockedReason_));
  editor_->setEnabled(!running);
  openDataset_->setEnabled(!running);
  openConfig_->setEnabled(!running);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  // Closing during a run or a sweep stops it; the window stays open, its event loop going, while
  // the run saves its results, and onRunFinished (onSweepFinished) closes it then.
  if (busy()) {
    if (closeWhenSettled_) return event->ignore();  // settling already
    const bool confirmed = controller_->stopRequested() || sweeper_->stopRequested() ||
                           (confirmStopOnClose && confirmStopOnClose());
    if (!confirmed) return event->ignore();
    if (busy()) {  // (it may have ended while the question was open)
      closeWhenSettled_ = true;
      controller_->stop();
      sweeper_->stop();
      log_->append(LogView::Level::Info, tr("stopping the run before closing: the window closes once the run is saved"));
      status_->showBusy(tr("Settling the run… the window closes when its results are saved"));
      updateRunActions();
      return event->ignore();
    }
  }
  saveSession();
  event->accept();
}

void MainWindow::saveSession() {
  settings::kGeometry.write(saveGeometry());
  settings::kWindowState.write(saveState());
  settings::kLastConfig.write(QString::fromStdString(config::toJson(editor_->config())));
  settings::kLastPreset.write(editor_->baselineName());
}

}  // namespace foldbench::ui
