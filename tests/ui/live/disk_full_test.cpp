// A run started from the window whose run folder is on a disk that fills up: the window stays
// up and usable, shows the error naming the file and the space, and the run is failed in the
// tracker with that reason; no temporary file is left.
#include <QMessageBox>
#include <QTest>
#include <filesystem>

#include "app_settings.h"
#include "editor/experiment_editor.h"
#include "foldbench/tracker/run_store.h"
#include "live/run_status_widget.h"
#include "live/training_controller.h"
#include "log/log_view.h"
#include "main_window.h"
#include "small_disk.h"
#include "temp_dir.h"
#include "ui_test_support.h"

using namespace foldbench;
using foldbench::ui::MainWindow;

class DiskFullTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { testing::isolateSettings(); }

  void aFullDiskFailsTheRunAndTheWindowStaysUp() {
    testing::TempDir dir;
    // Smaller than one checkpoint of this model (about 1.5 MB): the first save fails.
    testing::SmallDisk disk(dir.file("small"), 512 * 1024);
    if (!disk.ready()) QSKIP(qPrintable(QString::fromStdString("cannot make a small disk here: " + disk.whyNot())));
    MainWindow window;
    window.setResourceDirs(FOLDBENCH_SOURCE_DIR "/resources/sample", FOLDBENCH_SOURCE_DIR);
    ui::settings::kDatabasePath.write(QString::fromStdString(dir.file("experiments.db")));
    window.editor()->setConfig(testing::shortSampleConfig(dir.file("small/runs"), 2), "sample");
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY2(window.startAction()->isEnabled(), qPrintable(window.editor()->problemsText()));
    QVERIFY(window.startRun());
    QTRY_VERIFY_WITH_TIMEOUT(!window.controller()->isRunning(), 240000);
    QCOMPARE(window.runStatus()->text(), QStringLiteral("Failed"));
    const QString log = window.log()->toPlainText();
    QVERIFY2(log.contains("best.pt") && (log.contains("No space left on device") || log.contains("File too large")),
             qPrintable(log));
    auto* dialog = window.findChild<QMessageBox*>("runFailedDialog");
    QVERIFY(dialog);
    QVERIFY2(dialog->informativeText().contains("cannot write"), qPrintable(dialog->informativeText()));
    QVERIFY(window.isVisible());
    QVERIFY(window.startAction()->isEnabled());  // the window stays usable
    if (const QString grabs = qEnvironmentVariable("FOLDBENCH_TEST_GRABS"); !grabs.isEmpty()) {
      window.grab().save(grabs + "/disk-full-window.png");
      dialog->grab().save(grabs + "/disk-full-dialog.png");
    }

    auto store = tracker::RunStore::open(dir.file("experiments.db"), tracker::RunStore::Access::ReadOnly);
    tracker::ListQuery all;
    const auto runs = store.listRuns(all);
    QCOMPARE(runs.size(), std::size_t{1});
    QCOMPARE(runs[0].info.status, RunStatus::Failed);
    QVERIFY2(runs[0].info.error.find("cannot write") != std::string::npos, runs[0].info.error.c_str());
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.file("small")))
      QVERIFY2(entry.path().filename().string().find(".tmp") == std::string::npos, entry.path().c_str());
  }
};

QTEST_MAIN(DiskFullTest)
#include "disk_full_test.moc"
