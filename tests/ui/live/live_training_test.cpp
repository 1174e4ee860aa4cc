// Real k-fold training on the sample data, started from the window (offscreen): charts and the
// fold table fill in, the run lands in the tracker like a CLI run, Stop and closing mid-run
// end it cleanly, and a failing run shows its error.
#include <QAction>
#include <QElapsedTimer>
#include <QMessageBox>
#include <QPointer>
#include <QScopeGuard>
#include <QTest>
#include <QTimer>
#include <filesystem>
#include <sqlite3.h>

#include "app_settings.h"
#include "editor/experiment_editor.h"
#include "foldbench/tracker/run_store.h"
#include "shared/fold_chart.h"
#include "live/fold_table_model.h"
#include "live/live_view.h"
#include "live/run_status_widget.h"
#include "live/training_controller.h"
#include "log/log_view.h"
#include "main_window.h"
#include "temp_dir.h"
#include "ui_test_support.h"

using namespace foldbench;
using foldbench::ui::FoldChart;
using foldbench::ui::MainWindow;

namespace {
constexpr int kRunTimeoutMs = 240000;
// The longest the event loop may go without processing events while a closing run settles:
// a redraw or a drain of the live events, on a busy machine, but no wait for the worker.
constexpr qint64 kLongestStallMs = 1000;
constexpr int kHoldMs = 400;

void prepare(MainWindow& window, const testing::TempDir& dir, int epochs) {
  window.setResourceDirs(FOLDBENCH_SOURCE_DIR "/resources/sample", FOLDBENCH_SOURCE_DIR);
  ui::settings::kDatabasePath.write(QString::fromStdString(dir.file("experiments.db")));
  window.editor()->setConfig(testing::shortSampleConfig(dir.file("runs"), epochs), "sample");
}
}  // namespace

class LiveTrainingTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { testing::isolateSettings(); }

  void aShortRunFillsChartsTableAndTracker() {
    testing::TempDir dir;
    MainWindow window;
    prepare(window, dir, 3);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY2(window.startAction()->isEnabled(), qPrintable(window.editor()->problemsText()));
    QVERIFY(window.startRun());
    QVERIFY(!window.startAction()->isEnabled());
    QVERIFY(window.stopAction()->isEnabled());
    QVERIFY(!window.editor()->isEnabled());  // no edits while the run trains
    // The status bar moves while training, before the run ends.
    QTRY_VERIFY_WITH_TIMEOUT(window.runStatus()->text().contains("fold 1/2"), kRunTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(window.runStatus()->text().contains("ETA"), kRunTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isRunning(), kRunTimeoutMs);
    QVERIFY2(window.runStatus()->text().startsWith("Finished"), qPrintable(window.runStatus()->text()));

    auto* live = window.liveView();
    for (int fold : {0, 1}) {
      QCOMPARE(live->accuracyChart()->pointCount(fold, FoldChart::Series::Solid), 3);   // validation per epoch
      QCOMPARE(live->accuracyChart()->pointCount(fold, FoldChart::Series::Dashed), 3);  // training per epoch
      QVERIFY(live->accuracyChart()->hasBestMark(fold));
      QVERIFY(live->lossChart()->pointCount(fold, FoldChart::Series::Thin) >= 3);
      QVERIFY(live->learningRateChart()->pointCount(fold, FoldChart::Series::Solid) >= 3);
    }
    auto* table = live->foldTable();
    QCOMPARE(table->foldRows(), 2);
    QCOMPARE(table->finishedFolds(), 2);
    QCOMPARE(table->rowCount(), 4);  // two folds, mean, std
    QCOMPARE(table->index(2, ui::FoldTableModel::FoldColumn).data().toString(), QStringLiteral("mean"));
    const double meanVal = table->mean(ui::FoldTableModel::ValAccColumn);
    QVERIFY2(meanVal > 0.3, qPrintable(QString::number(meanVal)));

    // The run is in the tracker, as foldbench-cli train records it.
    const auto store = tracker::RunStore::open(dir.file("experiments.db"), tracker::RunStore::Access::ReadOnly);
    const auto runs = store.listRuns({});
    QCOMPARE(runs.size(), std::size_t{1});
    QVERIFY(runs[0].info.status == RunStatus::Finished);
    const auto detail = store.showRun(runs[0].id);
    QCOMPARE(detail.folds.size(), std::size_t{2});
    bool hasMean = false;
    for (const auto& f : detail.fields) hasMean |= f.key == "cv/val/acc/mean" && f.number && std::abs(*f.number - meanVal) < 1e-6;
    QVERIFY(hasMean);
    QVERIFY(!store.series(runs[0].id, "fold/0/val/acc").steps.empty());
    QVERIFY(std::filesystem::exists(window.lastRunDir().toStdString() + "/summary.json"));
    QVERIFY(std::filesystem::exists(window.lastRunDir().toStdString() + "/fold-1/best.pt"));
  }

  void stopEndsTheRunAndRecordsItStopped() {
    testing::TempDir dir;
    MainWindow window;
    prepare(window, dir, 40);
    window.show();
    QVERIFY(window.startRun());
    QTRY_VERIFY_WITH_TIMEOUT(window.liveView()->lossChart()->pointCount(0, FoldChart::Series::Thin) >= 2, kRunTimeoutMs);
    window.stopAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isRunning(), 30000);
    QCOMPARE(window.runStatus()->text(), QStringLiteral("Stopped"));
    QVERIFY(window.startAction()->isEnabled());
    const auto store = tracker::RunStore::open(dir.file("experiments.db"), tracker::RunStore::Access::ReadOnly);
    const auto runs = store.listRuns({});
    QCOMPARE(runs.size(), std::size_t{1});
    QVERIFY(runs[0].info.status == RunStatus::Stopped);
    QVERIFY(store.metricCount(runs[0].id) > 0);
    QCOMPARE(window.liveView()->foldTable()->index(0, ui::FoldTableModel::StatusColumn).data().toString(),
             QStringLiteral("stopped"));
  }

  void closingDuringARunAsksThenStops() {
    testing::TempDir dir;
    MainWindow window;
    prepare(window, dir, 40);
    window.show();
    int asked = 0;
    window.confirmStopOnClose = [&] { return ++asked > 1; };  // "no" first, then "yes"
    QVERIFY(window.startRun());
    QTRY_VERIFY_WITH_TIMEOUT(window.liveView()->lossChart()->pointCount(0, FoldChart::Series::Thin) >= 1, kRunTimeoutMs);
    QVERIFY(!window.close());
    QVERIFY(window.controller()->isRunning());
    QVERIFY(window.isVisible());
    window.close();  // "yes": the run settles, then the window closes by itself
    QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), 60000);
    QCOMPARE(asked, 2);
    QVERIFY(!window.controller()->isRunning());
    const auto store = tracker::RunStore::open(dir.file("experiments.db"), tracker::RunStore::Access::ReadOnly);
    QVERIFY(store.listRuns({})[0].info.status == RunStatus::Stopped);
  }

  void closingDuringARunKeepsTheEventLoopRunningWhileTheRunSettles() {
    testing::TempDir dir;
    MainWindow window;
    prepare(window, dir, 40);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.confirmStopOnClose = [] { return true; };
    QVERIFY(window.startRun());
    QTRY_VERIFY_WITH_TIMEOUT(window.liveView()->lossChart()->pointCount(0, FoldChart::Series::Thin) >= 2, kRunTimeoutMs);

    // A timer ticking every 5 ms measures the longest time the event loop goes without it,
    // from the close request until the window is gone.
    QElapsedTimer clock;
    qint64 lastTick = 0, longestStall = 0;
    bool closeRequested = false, settled = false;
    int ticksWhileSettling = 0;
    QTimer ticker;
    ticker.setInterval(5);
    connect(&ticker, &QTimer::timeout, this, [&] {
      const qint64 now = clock.elapsed();
      if (closeRequested) longestStall = std::max(longestStall, now - lastTick);
      lastTick = now;
      if (closeRequested && !settled) ++ticksWhileSettling;
    });
    connect(window.controller(), &ui::TrainingController::finished, this, [&] { settled = true; });
    clock.start();
    ticker.start();
    QTest::qWait(50);

    // Settling takes a while here: another connection holds the tracker's write lock, so the
    // worker's last writes (the stopped status) wait for it, as they would behind a slow disk.
    sqlite3* holder = nullptr;
    QCOMPARE(sqlite3_open(dir.file("experiments.db").c_str(), &holder), SQLITE_OK);
    sqlite3_busy_timeout(holder, 10000);  // the worker may be writing a step right now
    const auto closeHolder = qScopeGuard([&] { sqlite3_close(holder); });
    QCOMPARE(sqlite3_exec(holder, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    int ticksWhileHeld = 0;
    QTimer::singleShot(kHoldMs, this, [&] {
      ticksWhileHeld = ticksWhileSettling;
      sqlite3_exec(holder, "COMMIT", nullptr, nullptr, nullptr);
    });

    closeRequested = true;
    lastTick = clock.elapsed();
    window.close();
    const qint64 closeCallMs = clock.elapsed() - lastTick;
    // The close request returns at once: the run is still settling, and the window says so.
    QVERIFY2(!settled, qPrintable(QString("close() returned after the run ended (%1 ms)").arg(closeCallMs)));
    QVERIFY(window.controller()->isRunning());
    QVERIFY(window.isVisible());
    QVERIFY2(window.runStatus()->text().startsWith("Settling the run"), qPrintable(window.runStatus()->text()));
    QVERIFY(!window.stopAction()->isEnabled());
    QVERIFY(!window.close());  // a second request waits for the same settling, asking nothing
    if (const QString grabs = qEnvironmentVariable("FOLDBENCH_TEST_GRABS"); !grabs.isEmpty())
      window.grab().save(grabs + "/closing-settling.png");

    QTRY_VERIFY_WITH_TIMEOUT(settled, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(!window.isVisible(), 10000);
    ticker.stop();
    qInfo("close() took %lld ms; %d ticks while the run settled (%d with the lock held); longest stall %lld ms",
          closeCallMs, ticksWhileSettling, ticksWhileHeld, longestStall);
    // The event loop went on while the run settled: the ticker fired through the held lock.
    QVERIFY2(ticksWhileHeld >= kHoldMs / 5 / 4, qPrintable(QString::number(ticksWhileHeld)));
    QVERIFY2(longestStall < kLongestStallMs, qPrintable(QString::number(longestStall)));
    QVERIFY(!window.controller()->isRunning());
    const auto store = tracker::RunStore::open(dir.file("experiments.db"), tracker::RunStore::Access::ReadOnly);
    const auto runs = store.listRuns({});
    QCOMPARE(runs.size(), std::size_t{1});
    QVERIFY(runs[0].info.status == RunStatus::Stopped);
  }

  void destroyingTheWindowMidRunLeavesNoThread() {
    testing::TempDir dir;
    QPointer<ui::TrainingController> controller;
    {
      auto window = std::make_unique<MainWindow>();
      prepare(*window, dir, 40);
      window->show();
      QVERIFY(window->startRun());
      controller = window->controller();
      QTRY_VERIFY_WITH_TIMEOUT(window->liveView()->lossChart()->pointCount(0, FoldChart::Series::Thin) >= 1, kRunTimeoutMs);
    }  // destroyed while training
    QVERIFY(controller.isNull());
    const auto store = tracker::RunStore::open(dir.file("experiments.db"), tracker::RunStore::Access::ReadOnly);
    const auto runs = store.listRuns({});
    QCOMPARE(runs.size(), std::size_t{1});
    QVERIFY(runs[0].info.status == RunStatus::Stopped);
  }

  void stopDuringPreparationEndsCleanly() {
    testing::TempDir dir;
    MainWindow window;
    prepare(window, dir, 3);
    QVERIFY(window.startRun());
    window.stopRun();  // almost always while the data is still loading
    QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isRunning(), 60000);
    QCOMPARE(window.runStatus()->text(), QStringLiteral("Stopped"));
    QVERIFY(window.startAction()->isEnabled());
    // Either preparation was cut short (no run, no directory) or training had begun (a stopped run).
    const auto store = tracker::RunStore::open(dir.file("experiments.db"), tracker::RunStore::Access::ReadOnly);
    const auto runs = store.listRuns({});
    if (runs.empty()) {
      QVERIFY(window.lastRunDir().isEmpty());
      QVERIFY(!std::filesystem::exists(dir.file("runs")) || std::filesystem::is_empty(dir.file("runs")));
    } else {
      QVERIFY(runs[0].info.status == RunStatus::Stopped);
    }
  }

  void aFailingRunShowsItsErrorInTheLogAndADialog() {
    testing::TempDir dir;
    MainWindow window;
    prepare(window, dir, 2);
    window.show();
    // The test file chosen as training file: a usable file to look at (its labels are
    // "blind"), so Start is enabled, but training cannot use it.
    window.editor()->setFieldValue("data.train_path", std::string(FOLDBENCH_SOURCE_DIR "/resources/sample/test.tsv"));
    QTRY_VERIFY_WITH_TIMEOUT(window.editor()->datasetSummaryText().contains("test.tsv"), 20000);
    QVERIFY2(window.startAction()->isEnabled(), qPrintable(window.editor()->problemsText()));
    QVERIFY(window.startRun());
    QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isRunning(), 60000);
    QCOMPARE(window.runStatus()->text(), QStringLiteral("Failed"));
    QVERIFY(window.log()->errorCount() >= 1);
    QVERIFY2(window.log()->toPlainText().contains("test.tsv"), qPrintable(window.log()->toPlainText()));
    auto* dialog = window.findChild<QMessageBox*>("runFailedDialog");
    QVERIFY(dialog);
    QVERIFY2(dialog->informativeText().contains("blind"), qPrintable(dialog->informativeText()));
    QVERIFY(!std::filesystem::exists(dir.file("runs")));  // the data is checked before a run directory exists
    QVERIFY(window.startAction()->isEnabled());  // the window stays usable
  }
};

QTEST_MAIN(LiveTrainingTest)
#include "live_training_test.moc"
