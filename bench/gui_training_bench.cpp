// foldbench-bench-gui: the cost of the window while it trains. Runs the `sample` preset
// headless (as foldbench-cli train does: tracked, same observer chain minus the window) and
// from the window with live charts, alternating, and reports
//  - training time with the window / without it (target: under 1.03),
//  - the longest event-loop stall during the windowed runs (target: under 50 ms), measured by
//    a 5 ms timer on the GUI thread.
// Run offscreen or under Xvfb: QT_QPA_PLATFORM=offscreen build/bin/foldbench-bench-gui [rounds]
#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <vector>

#include "foldbench/platform/blas_kernels.h"
#include "app_settings.h"
#include "editor/experiment_editor.h"
#include "foldbench/recording/tracked_run.h"
#include "live/training_controller.h"
#include "main_window.h"

namespace {

foldbench::config::ExperimentConfig benchConfig(const QString& outDir) {
  auto c = foldbench::config::preset("sample");
  const std::string sample = FOLDBENCH_SOURCE_DIR "/resources/sample/";
  c.data.trainPath = sample + "train.tsv";
  c.data.labelsPath = sample + "labels.tsv";
  c.data.testPath = sample + "test.tsv";
  c.run.outputDir = outDir.toStdString();
  return c;
}

double headlessSeconds(const foldbench::config::ExperimentConfig& c, const QString& db) {
  foldbench::train::TrainingObserver quiet;
  std::atomic<bool> cancel{false};
  foldbench::recording::TrackedRunOptions options;
  options.databasePath = db.toStdString();
  const auto run = foldbench::recording::trainTracked(c, quiet, cancel, options);
  return run.result.seconds;
}

double windowSeconds(const foldbench::config::ExperimentConfig& c, qint64& longestStallMs) {
  foldbench::ui::MainWindow window;
  window.resize(1440, 900);
  window.editor()->setConfig(c, "sample");
  window.show();
  QElapsedTimer gap;
  QTimer probe;
  probe.setInterval(5);
  qint64 worst = 0;
  gap.start();
  QObject::connect(&probe, &QTimer::timeout, [&] {
    worst = std::max(worst, gap.restart());
  });
  double seconds = 0.0;
  QObject::connect(window.controller(), &foldbench::ui::TrainingController::eventsArrived,
                   [&](const foldbench::ui::LiveEvents& events) {
                     for (const auto& e : events)
                       if (const auto* end = std::get_if<foldbench::train::RunEndEvent>(&e)) seconds = end->seconds;
                   });
  if (!window.startRun()) return -1;
  probe.start();
  gap.restart();
  while (window.controller()->isRunning()) QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 100);
  probe.stop();
  longestStallMs = worst;
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  foldbench::platform::chooseBlasKernels(argc, argv);  // may restart the process
  QApplication app(argc, argv);
  QApplication::setOrganizationName("FoldbenchBench");
  QApplication::setApplicationName("FoldbenchBench");
  const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 2;
  QTemporaryDir scratch;
  const QString db = scratch.filePath("experiments.db");
  foldbench::ui::settings::kDatabasePath.write(db);
  const auto config = benchConfig(scratch.filePath("runs"));
  std::vector<double> headless, windowed;
  qint64 stall = 0;
  for (int r = 0; r < rounds; ++r) {
    headless.push_back(headlessSeconds(config, db));
    qint64 s = 0;
    windowed.push_back(windowSeconds(config, s));
    stall = std::max(stall, s);
    std::printf("round %d: headless %.2f s, window %.2f s, longest stall %lld ms\n", r + 1, headless.back(),
                windowed.back(), static_cast<long long>(s));
  }
  const double h = *std::min_element(headless.begin(), headless.end());
  const double w = *std::min_element(windowed.begin(), windowed.end());
  std::printf("training time, best of %d: headless %.2f s, window %.2f s\n", rounds, h, w);
  std::printf("window / headless: %.3f (target < 1.03)\n", w / h);
  std::printf("longest event-loop stall while training: %lld ms (target < 50 ms)\n", static_cast<long long>(stall));
  return 0;
}
