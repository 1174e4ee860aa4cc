// foldbench: the desktop workbench. Opens the dataset given on the command line, or the
// bundled sample data.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QTimer>

#include "main_window.h"
#include "sample_paths.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName("Foldbench");
  QApplication::setApplicationVersion(FOLDBENCH_VERSION);

  QCommandLineParser parser;
  parser.setApplicationDescription("K-fold experiment workbench for text classifiers");
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addOption({"train", "Training dataset to open (default: the bundled sample).", "file"});
  parser.addOption({"labels", "Label map (name<TAB>id).", "file"});
  parser.addOption({"quit-after", "Close after this many milliseconds (smoke tests).", "ms"});
  parser.addOption({"screenshot", "Save a PNG of the window once the dataset is shown, then quit.", "file"});
  parser.process(app);

  const auto sample = foldbench::app::sampleDataDir();
  QString train = parser.value("train");
  QString labels = parser.value("labels");
  if (train.isEmpty() && !sample.empty()) {
    train = QString::fromStdString(sample + "/train.tsv");
    if (labels.isEmpty()) labels = QString::fromStdString(sample + "/labels.tsv");
  }

  foldbench::ui::MainWindow window;
  window.show();
  if (!train.isEmpty()) window.openDataset(train, labels);
  if (parser.isSet("screenshot")) {
    QTimer::singleShot(300, &app, [&] {
      const bool saved = window.grab().save(parser.value("screenshot"));
      QApplication::exit(saved ? 0 : 1);
    });
  }
  if (parser.isSet("quit-after")) QTimer::singleShot(parser.value("quit-after").toInt(), &app, &QApplication::quit);
  return app.exec();
}
