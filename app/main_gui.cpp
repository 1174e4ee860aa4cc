// foldbench: the desktop workbench. Opens with the last session's experiment, or a preset,
// and optionally a dataset given on the command line.
#include <QApplication>
#include <QThreadPool>
#include <QCommandLineParser>
#include <QIcon>
#include <QLocale>
#include <QSettings>
#include <cstdlib>
#include <QTimer>

#include "app_settings.h"
#include "editor/experiment_editor.h"
#include "foldbench/platform/blas_kernels.h"
#include "main_window.h"
#include "sample_paths.h"

int main(int argc, char** argv) {
  // The kernel choice may restart the process, so it runs before QApplication; the preference
  // is read from the same settings the window writes.
  if (!QSettings("Foldbench", "Foldbench").value(foldbench::ui::settings::kBlasAuto.key, true).toBool())
    setenv("FOLDBENCH_BLAS", "off", 1);
  foldbench::platform::chooseBlasKernels(argc, argv);
  QApplication app(argc, argv);  // sets the process locale from the environment: the core must not care
  QApplication::setOrganizationName("Foldbench");
  QApplication::setApplicationName("Foldbench");
  QApplication::setApplicationVersion(FOLDBENCH_VERSION);
  QApplication::setDesktopFileName("io.github.foldbench.Foldbench");
  QApplication::setWindowIcon(QIcon::fromTheme("io.github.foldbench.Foldbench", QIcon(":/io.github.foldbench.Foldbench.svg")));
  QLocale::setDefault(QLocale::system());

  QCommandLineParser parser;
  parser.setApplicationDescription("K-fold experiment workbench for text classifiers");
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addOption({"preset", "Start from this preset (sample, klue-re-scratch, klue-re-best) instead of the last session.", "name"});
  parser.addOption({"train", "Training dataset to open.", "file"});
  parser.addOption({"labels", "Label map (name<TAB>id).", "file"});
  parser.addOption({"quit-after", "Close after this many milliseconds (smoke tests).", "ms"});
  parser.addOption({"screenshot", "Save a PNG of the window once it is shown, then quit.", "file"});
  parser.process(app);

  foldbench::ui::MainWindow window;
  window.setResourceDirs(QString::fromStdString(foldbench::app::sampleDataDir()), FOLDBENCH_SOURCE_DIR);
  if (parser.isSet("preset")) window.editor()->applyPreset(parser.value("preset"));
  else window.restoreSession("sample");
  window.show();
  if (parser.isSet("train")) window.openDataset(parser.value("train"), parser.value("labels"));
  if (parser.isSet("screenshot")) {
    QTimer::singleShot(600, &app, [&] {
      const bool saved = window.grab().save(parser.value("screenshot"));
      QApplication::exit(saved ? 0 : 1);
    });
  }
  if (parser.isSet("quit-after")) QTimer::singleShot(parser.value("quit-after").toInt(), &window, &QWidget::close);
  const int status = app.exec();
  // Pool threads that ran LibTorch (exports, model-folder checks) are joined here, not during the
  // static destruction after main, where they raced LibTorch's own teardown (a rare crash on exit).
  QThreadPool::globalInstance()->waitForDone();
  return status;
}
