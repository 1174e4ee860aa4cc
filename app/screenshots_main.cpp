// foldbench-screenshots OUTDIR: renders the workbench in the states a user sees (editor on the
// sample preset, an invalid field, the middle of a live run, a finished run) to PNG files.
// Run offscreen or under Xvfb: scripts/screenshots.sh.
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QThread>
#include <cstdio>
#include <functional>

#include "app_settings.h"
#include "editor/config_form.h"
#include "editor/experiment_editor.h"
#include "editor/field_editor.h"
#include "live/training_controller.h"
#include "main_window.h"
#include "sample_paths.h"

namespace {

bool waitFor(const std::function<bool()>& done, int timeoutMs) {
  QElapsedTimer timer;
  timer.start();
  while (!done()) {
    if (timer.elapsed() > timeoutMs) return false;
    QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    QThread::msleep(10);
  }
  return true;
}

void settle(int ms) { waitFor([] { return false; }, ms); }

bool save(QWidget& window, const QString& path) {
  settle(300);
  const bool ok = window.grab().save(path);
  std::printf("%s %s\n", ok ? "wrote" : "FAILED", qPrintable(path));
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName("FoldbenchScreenshots");
  QApplication::setApplicationName("FoldbenchScreenshots");
  QSettings().clear();
  if (argc < 2) {
    std::fprintf(stderr, "usage: foldbench-screenshots OUTDIR\n");
    return 2;
  }
  const QDir out(argv[1]);
  QDir().mkpath(out.path());
  QTemporaryDir scratch;
  foldbench::ui::settings::kDatabasePath.write(scratch.filePath("experiments.db"));

  foldbench::ui::MainWindow window;
  window.setResourceDirs(QString::fromStdString(foldbench::app::sampleDataDir()), FOLDBENCH_SOURCE_DIR);
  window.editor()->applyPreset("sample");
  window.editor()->setFieldValue("run.output_dir", scratch.filePath("runs").toStdString());
  window.resize(1440, 900);
  window.show();
  bool ok = waitFor([&] { return window.editor()->datasetSummaryText().contains("rows"); }, 20000);
  ok &= save(window, out.filePath("editor.png"));

  auto* hidden = qobject_cast<QSpinBox*>(window.editor()->form()->editor("model.hidden")->input());
  hidden->setValue(130);
  window.editor()->form()->editor("model.hidden")->input()->setFocus();
  ok &= save(window, out.filePath("editor-invalid.png"));
  window.editor()->undoStack()->undo();

  ok &= window.startRun();
  const auto& progress = window.controller()->progress();
  ok &= waitFor([&] { return progress.foldsDone() >= 2 && progress.epoch() >= 8; }, 600000);
  ok &= save(window, out.filePath("live-training.png"));
  ok &= waitFor([&] { return !window.controller()->isRunning(); }, 900000);
  ok &= save(window, out.filePath("live-finished.png"));
  return ok ? 0 : 1;
}
