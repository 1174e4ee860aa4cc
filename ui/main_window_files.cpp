// MainWindow: menus, datasets, config files, recent files, preferences, the saved session.
#include <QAction>
#include <QApplication>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QUndoStack>

#include "app_settings.h"
#include "preferences/preferences_dialog.h"
#include "editor/dataset_panel.h"
#include "editor/dataset_snapshot.h"
#include "editor/experiment_editor.h"
#include "live/training_controller.h"
#include "log/log_view.h"
#include "tracker/tracker_reader.h"
#include "main_window.h"
#include "sweep/sweep_view.h"

namespace foldbench::ui {

namespace {
// Configs and KLUE datasets both end in .json: a config is an object of sections, a dataset an
// array (JSON lines end in .jsonl).
bool isConfigFile(const QString& path) {
  if (!path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive)) return false;
  QFile file(path);
  return file.open(QIODevice::ReadOnly) && file.read(4096).trimmed().startsWith('{');
}
}  // namespace

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(openDataset_);
  QAction* labels = file->addAction(tr("Open &Label Map…"), this, &MainWindow::chooseLabelMap);
  labels->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
  QAction* reload = file->addAction(tr("&Reload Dataset"), this, &MainWindow::reload);
  reload->setShortcut(QKeySequence::Refresh);
  file->addSeparator();
  file->addAction(openConfig_);
  file->addAction(saveConfig_);
  file->addAction(saveConfigAs_);
  recentMenu_ = file->addMenu(tr("Open &Recent"));
  rebuildRecentMenu();
  file->addSeparator();
  file->addAction(preferences_);
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  edit->addAction(undo_);
  edit->addAction(redo_);

  QMenu* run = menuBar()->addMenu(tr("&Run"));
  run->addAction(start_);
  run->addAction(stop_);
  run->addSeparator();
  run->addAction(export_);

  viewMenu_ = menuBar()->addMenu(tr("&View"));

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About Foldbench"), this, [this] {
    QMessageBox::about(this, tr("About Foldbench"),
                       tr("<b>Foldbench %1</b><br>K-fold experiment workbench for text classifiers.")
                           .arg(QApplication::applicationVersion()));
  });
}

bool MainWindow::openDataset(const QString& path, const QString& labelsPath) {
  // Checked here, at once, with the label map the experiment will use; the editor takes this
  // check instead of running its own for the same files.
  const QString labels = labelsPath.isEmpty() ? QString::fromStdString(editor_->config().data.labelsPath) : labelsPath;
  QApplication::setOverrideCursor(Qt::WaitCursor);
  const DatasetSnapshot snap = loadSnapshot(path.toStdString(), labels.toStdString());
  QApplication::restoreOverrideCursor();
  editor_->adoptDatasetCheck(snap);  // shows it in the Dataset tab too
  editor_->setFieldValues({{QStringLiteral("data.train_path"), path.toStdString()},
                           {QStringLiteral("data.labels_path"), labels.toStdString()}});
  setWindowTitle(tr("Foldbench — %1").arg(QFileInfo(path).fileName()));
  log_->append(snap.usable ? LogView::Level::Info : LogView::Level::Error,
               snap.usable ? tr("loaded %1 rows from %2").arg(snap.summary.rows).arg(path)
                           : tr("could not use %1: %2").arg(path, QString::fromStdString(snap.error)));
  addRecentFile(path);
  return snap.usable;
}

bool MainWindow::openConfig(const QString& path) {
  QString error;
  if (!editor_->loadFile(path, &error)) {
    log_->append(LogView::Level::Error, error);
    QMessageBox::warning(this, tr("Cannot Open Config"), error);
    return false;
  }
  configPath_ = path;
  addRecentFile(path);
  log_->append(LogView::Level::Info, tr("opened config %1").arg(path));
  return true;
}

bool MainWindow::saveConfigTo(const QString& path) {
  QString error;
  if (!editor_->saveFile(path, &error)) {
    log_->append(LogView::Level::Error, error);
    QMessageBox::warning(this, tr("Cannot Save Config"), error);
    return false;
  }
  configPath_ = path;
  editor_->undoStack()->setClean();
  addRecentFile(path);
  log_->append(LogView::Level::Info, tr("saved config to %1").arg(path));
  return true;
}

void MainWindow::chooseDataset() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Open Dataset"),
                                                    QString::fromStdString(editor_->config().data.trainPath),
                                                    tr("Datasets (*.tsv *.json *.jsonl *.csv);;All files (*)"));
  if (!path.isEmpty()) openDataset(path);
}

void MainWindow::chooseLabelMap() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Open Label Map"),
                                                    QString::fromStdString(editor_->config().data.labelsPath),
                                                    tr("Label maps (*.tsv *.txt);;All files (*)"));
  if (path.isEmpty()) return;
  const auto& train = editor_->config().data.trainPath;
  if (train.empty()) editor_->setFieldValue(QStringLiteral("data.labels_path"), path.toStdString());
  else openDataset(QString::fromStdString(train), path);
}

void MainWindow::reload() {
  const auto& d = editor_->config().data;
  if (!d.trainPath.empty()) openDataset(QString::fromStdString(d.trainPath));
}

void MainWindow::chooseConfig() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Open Config"), configPath_,
                                                    tr("Experiment configs (*.json);;All files (*)"));
  if (!path.isEmpty()) openConfig(path);
}

void MainWindow::saveConfig() {
  if (configPath_.isEmpty()) saveConfigAs();
  else saveConfigTo(configPath_);
}

void MainWindow::saveConfigAs() {
  // The dialog asks before replacing an existing file; the write itself is atomic.
  const QString path = QFileDialog::getSaveFileName(this, tr("Save Config"),
                                                    configPath_.isEmpty() ? QStringLiteral("experiment.json") : configPath_,
                                                    tr("Experiment configs (*.json)"));
  if (!path.isEmpty()) saveConfigTo(path);
}

void MainWindow::showPreferences() {
  PreferencesDialog dialog(this);
  if (dialog.exec() != QDialog::Accepted) return;
  controller_->setDrainIntervalMs(settings::kChartIntervalMs.read().toInt());
  store_->setDatabase(settings::databasePath());
  sweeps_->setDatabase(settings::databasePath());
}

void MainWindow::addRecentFile(const QString& path) {
  QStringList recent = settings::kRecentFiles.read().toStringList();
  const QString absolute = QFileInfo(path).absoluteFilePath();
  recent.removeAll(absolute);
  recent.prepend(absolute);
  while (recent.size() > settings::kMaxRecentFiles) recent.removeLast();
  settings::kRecentFiles.write(recent);
  rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
  recentMenu_->clear();
  const QStringList recent = settings::kRecentFiles.read().toStringList();
  for (const QString& path : recent) {
    recentMenu_->addAction(QFileInfo(path).fileName() + QStringLiteral("  —  ") + QFileInfo(path).path(), this, [this, path] {
      if (isConfigFile(path)) openConfig(path);
      else openDataset(path);
    });
  }
  recentMenu_->setEnabled(!recent.isEmpty());
}

void MainWindow::restoreSession(const QString& fallbackPreset) {
  const QString json = settings::kLastConfig.read().toString();
  if (!json.isEmpty()) {
    try {
      const auto config = config::fromJson(json.toStdString(), "the last session");
      editor_->setConfig(config, settings::kLastPreset.read().toString());
      editor_->undoStack()->clear();
      return;
    } catch (const std::exception& e) {
      log_->append(LogView::Level::Warning, tr("the last session's config was not restored: %1").arg(e.what()));
    }
  }
  editor_->applyPreset(fallbackPreset);
  editor_->undoStack()->clear();
}

}  // namespace foldbench::ui
