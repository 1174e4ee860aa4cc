// Real k-fold training on the sample data, started from the window (offscreen): charts and the
// fold table fill in, the run lands in the tracker like a CLI run, Stop and closing mid-run
// end it cleanly, and a failing run shows its error.
#include <QAction>
#include <QMessageBox>
#include <QPointer>
#include <QTest>
#include <filesystem>

#include "app_settings.h"
#include "editor/experiment_editor.h"
#include "foldbench/tracker/run_store.h"
#include "live/fold_chart.h"
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
    QVERIFY(window.close());
    QCOMPARE(asked, 2);
    QVERIFY(!window.controller()->isRunning());
    const auto store = tracker::RunStore::open(dir.file("experiments.db"), tracker::RunStore::Access::ReadOnly);
    QVERIFY(store.listRuns({})[0].info.status == RunStatus::Stopped);
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
