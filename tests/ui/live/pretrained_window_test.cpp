// Issue 25 in the window: the klue-re-mbert preset with a tiny generated model folder trains 2
// folds on the sample data through the window's worker, is tracked (Runs tab, tracker), reloads in
// the Run tab, compares with a second run in the Compare tab, and exports a submission.
#include <QPointer>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTest>
#include <QThreadPool>
#include <filesystem>

#include "app_settings.h"
#include "compare/compare_view.h"
#include "detail/run_detail_view.h"
#include "editor/experiment_editor.h"
#include "editor/model_folder_check.h"
#include "editor/model_folder_view.h"
#include "export/export_dialog.h"
#include "foldbench/data/label_map.h"
#include "foldbench/ensemble/submission.h"
#include "foldbench/tracker/run_store.h"
#include "shared/fold_chart.h"
#include "live/fold_table_model.h"
#include "live/live_view.h"
#include "live/run_status_widget.h"
#include "live/training_controller.h"
#include "main_window.h"
#include "runs/runs_table_model.h"
#include "runs/runs_view.h"
#include "temp_dir.h"
#include "ui_test_support.h"

using namespace foldbench;
using foldbench::ui::FoldChart;
using foldbench::ui::MainWindow;

namespace {
constexpr int kRunTimeoutMs = 240000;
const std::string kSample = FOLDBENCH_SOURCE_DIR "/resources/sample/";
const std::string kModel = FOLDBENCH_SOURCE_DIR "/tests/fixtures/pretrained/models/bert-wordpiece";
}  // namespace

class PretrainedWindowTest : public QObject {
  Q_OBJECT

  // Trains the preset with the tiny folder at `lr` from the window; returns the tracked run's id.
  qint64 trainFromTheWindow(MainWindow& window, const testing::TempDir& dir, const std::string& name, double lr) {
    auto* editor = window.editor();
    editor->applyPreset("klue-re-mbert");
    const bool set = editor->setFieldValues({{"data.train_path", kSample + "train.tsv"},
                                             {"data.labels_path", kSample + "labels.tsv"},
                                             {"data.test_path", kSample + "test.tsv"},
                                             {"model.pretrained_path", kModel},
                                             {"model.pooling", std::string("entity")},
                                             {"input.format", std::string("punct")},
                                             {"input.max_len", std::int64_t{40}},
                                             {"kfold.folds", std::int64_t{2}},
                                             {"train.epochs", std::int64_t{3}},
                                             {"train.lr", lr},
                                             {"train.threads", std::int64_t{2}},
                                             {"train.log_every_steps", std::int64_t{2}},
                                             {"run.name", name},
                                             {"run.output_dir", dir.file("runs")}});
    if (!set) return -1;
    // The picker read the folder before Start.
    if (!QTest::qWaitFor([&] { return editor->modelFolderView()->factsText().contains("bert, 2 layers x 32 hidden"); }, 20000))
      return -2;
    if (!QTest::qWaitFor([&] { return window.startAction()->isEnabled(); }, 20000)) return -3;
    if (!window.startRun()) return -4;
    if (!QTest::qWaitFor([&] { return !window.controller()->isRunning(); }, kRunTimeoutMs)) return -5;
    if (!window.runStatus()->text().startsWith("Finished")) return -6;
    const auto store = tracker::RunStore::open(dir.file("experiments.db"), tracker::RunStore::Access::ReadOnly);
    for (const auto& row : store.listRuns({}))
      if (row.info.name == name) return row.id;
    return -7;
  }

 private slots:
  void initTestCase() { testing::isolateSettings(); }
  // As the app's main does: threads that ran LibTorch are joined before static destruction.
  void cleanupTestCase() { QVERIFY(QThreadPool::globalInstance()->waitForDone(60000)); }

  void klueReMbertWithATinyFolderTrainsIsTrackedComparesAndExports() {
    testing::TempDir dir;
    ui::settings::kDatabasePath.write(QString::fromStdString(dir.file("experiments.db")));
    MainWindow window;
    window.setResourceDirs(QString::fromStdString(kSample), FOLDBENCH_SOURCE_DIR);
    window.resize(1400, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    const qint64 first = trainFromTheWindow(window, dir, "mbert-tiny-a", 5e-3);
    QVERIFY2(first > 0, qPrintable(QString::number(first) + " " + window.editor()->problemsText()));
    // Charts and the fold table filled in from the pretrained model's events.
    auto* live = window.liveView();
    for (int fold : {0, 1}) {
      QCOMPARE(live->accuracyChart()->pointCount(fold, FoldChart::Series::Solid), 3);
      QVERIFY(live->accuracyChart()->hasBestMark(fold));
    }
    QCOMPARE(live->foldTable()->finishedFolds(), 2);
    // Tracked as pretrained, with the model's tokenizer files kept beside the run.
    {
      const auto store = tracker::RunStore::open(dir.file("experiments.db"), tracker::RunStore::Access::ReadOnly);
      const auto detail = store.showRun(first);
      QCOMPARE(detail.folds.size(), std::size_t{2});
      QCOMPARE(QString::fromStdString(detail.params.at("model.family")), QStringLiteral("pretrained"));
    }
    QVERIFY(std::filesystem::exists(window.lastRunDir().toStdString() + "/pretrained/config.json"));
    // In the Runs tab.
    QTRY_VERIFY_WITH_TIMEOUT(window.runsView()->model()->rowOf(first) >= 0, 20000);

    // Reloads in the Run tab.
    window.openRun(first);
    auto* detail = window.runDetail();
    QTRY_VERIFY_WITH_TIMEOUT(detail->hasRun() && detail->report().has_value(), 20000);
    QCOMPARE(detail->accuracyChart()->pointCount(0, FoldChart::Series::Solid), 3);

    // A second run, then Compare.
    const qint64 second = trainFromTheWindow(window, dir, "mbert-tiny-b", 1e-3);
    QVERIFY2(second > 0, qPrintable(QString::number(second)));
    QTRY_VERIFY_WITH_TIMEOUT(window.runsView()->model()->rowOf(second) >= 0, 20000);
    window.compareRuns({first, second});
    auto* compare = window.compareView();
    QCOMPARE(window.tabs()->currentWidget(), static_cast<QWidget*>(compare));
    QTRY_VERIFY_WITH_TIMEOUT(compare->hasComparison(), 20000);
    QVERIFY(compare->parameterModel()->rowCount() >= 1);  // train.learning_rate differs
    bool lrShown = false;
    for (int row = 0; row < compare->parameterModel()->rowCount(); ++row)
      lrShown |= compare->parameterModel()->item(row, 0)->text().contains("train.lr");
    QVERIFY(lrShown);
    QCOMPARE(compare->testModel()->rowCount(), 3);  // t-test, McNemar, bootstrap: comparable runs
    QVERIFY(compare->testModel()->item(0, 1)->text().contains("t-test"));

    // Exports a submission of both, predicting the test file with the pretrained checkpoints.
    auto* dialog = window.showExportDialog({first, second});
    QVERIFY(dialog);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->hasReport(), 60000);
    const QString out = QString::fromStdString(dir.file("submission.csv"));
    dialog->setTestPath(QString::fromStdString(kSample + "test.tsv"));
    dialog->setOutputPath(out);
    QSignalSpy exported(dialog, &ui::ExportDialog::exported);
    dialog->startExport();
    QVERIFY(QTest::qWaitFor([&] { return exported.count() == 1; }, 120000));
    const auto labels = data::LabelMap::readFile(kSample + "labels.tsv");
    const auto submission = ensemble::readSubmission(out.toStdString(), ensemble::SubmissionFormat::Pstage, labels);
    QVERIFY(!submission.predicted.empty());
    // Closed (deleted on close), and no report or export still computing in the pool when the
    // test returns: once in five runs the process aborted at exit in libtorch's static
    // destructors (Dispatcher::deregisterDef_) without this wait.
    QPointer<ui::ExportDialog> closing(dialog);
    dialog->close();
    QTRY_VERIFY_WITH_TIMEOUT(closing.isNull(), 10000);
    QVERIFY(QThreadPool::globalInstance()->waitForDone(60000));
  }
};

QTEST_MAIN(PretrainedWindowTest)
#include "pretrained_window_test.moc"
