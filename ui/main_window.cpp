#include "main_window.h"

#include <QAction>
#include <QFileInfo>
#include <QApplication>
#include <QFileDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

#include "editor/dataset_panel.h"
#include "editor/dataset_snapshot.h"

namespace foldbench::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent), panel_(new DatasetPanel(this)) {
  setWindowTitle(tr("Foldbench"));
  setCentralWidget(panel_);
  createActions();
  resize(1100, 720);
  statusBar()->showMessage(tr("Ready"));
}

void MainWindow::createActions() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* open = file->addAction(tr("&Open Dataset…"), this, &MainWindow::chooseDataset);
  open->setShortcut(QKeySequence::Open);
  QAction* labels = file->addAction(tr("Open &Label Map…"), this, &MainWindow::chooseLabelMap);
  labels->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
  QAction* reload = file->addAction(tr("&Reload"), this, &MainWindow::reload);
  reload->setShortcut(QKeySequence::Refresh);
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
  quit->setShortcut(QKeySequence::Quit);
}

bool MainWindow::openDataset(const QString& path, const QString& labelsPath) {
  datasetPath_ = path;
  labelsPath_ = labelsPath;
  QApplication::setOverrideCursor(Qt::WaitCursor);
  const DatasetSnapshot snap = loadSnapshot(path.toStdString(), labelsPath.toStdString());
  QApplication::restoreOverrideCursor();
  panel_->showSnapshot(snap);
  setWindowTitle(tr("Foldbench — %1").arg(QFileInfo(path).fileName()));
  statusBar()->showMessage(snap.usable ? tr("Loaded %1 rows from %2").arg(snap.summary.rows).arg(path)
                                       : tr("Could not use %1: %2").arg(path, QString::fromStdString(snap.error)));
  return snap.usable;
}

void MainWindow::chooseDataset() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Open Dataset"), datasetPath_,
                                                    tr("Datasets (*.tsv *.json *.jsonl *.csv);;All files (*)"));
  if (!path.isEmpty()) openDataset(path, labelsPath_);
}

void MainWindow::chooseLabelMap() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Open Label Map"), labelsPath_,
                                                    tr("Label maps (*.tsv *.txt);;All files (*)"));
  if (path.isEmpty()) return;
  labelsPath_ = path;
  if (!datasetPath_.isEmpty()) openDataset(datasetPath_, labelsPath_);
}

void MainWindow::reload() {
  if (!datasetPath_.isEmpty()) openDataset(datasetPath_, labelsPath_);
}

}  // namespace foldbench::ui
