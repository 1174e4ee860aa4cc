// The export dialog and the one-click export on two sample runs trained into a real tracker:
// the file passes the submission checks and is recorded; cancelling leaves no file; the
// one-click path never overwrites.
#include <QAbstractItemModelTester>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QTableView>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTest>
#include <fstream>

#include "app_settings.h"
#include "export/export_choices.h"
#include "export/export_dialog.h"
#include "export/export_runner.h"
#include "foldbench/data/readers.h"
#include "foldbench/ensemble/submission.h"
#include "foldbench/recording/tracked_run.h"
#include "main_window.h"
#include "temp_dir.h"
#include "ui_test_support.h"

using namespace foldbench;
using namespace foldbench::ui;

class ExportDialogTest : public QObject {
  Q_OBJECT

  testing::TempDir dir_;
  QString db_;
  std::vector<qint64> ids_;

  std::vector<std::string> testIds() const {
    data::ReadOptions read;
    read.allowBlind = true;
    data::LoadReport report;
    data::LabelMap labels;
    const auto test = data::loadDataset(FOLDBENCH_SOURCE_DIR "/resources/sample/test.tsv", data::DatasetFormat::Auto,
                                        labels, read, report);
    std::vector<std::string> ids;
    for (const auto& r : test.rows) ids.push_back(r.id);
    return ids;
  }

  std::vector<tracker::Artifact> artifactsOf(qint64 id, const std::string& kind) const {
    const auto store = tracker::RunStore::open(db_.toStdString(), tracker::RunStore::Access::ReadOnly);
    std::vector<tracker::Artifact> out;
    for (const auto& a : store.showRun(id).artifacts)
      if (a.kind == kind) out.push_back(a);
    return out;
  }

 private slots:
  void initTestCase() {
    testing::isolateSettings();
    db_ = QString::fromStdString(dir_.file("experiments.db"));
    settings::kDatabasePath.write(db_);
    settings::kExportFolder.write(QString::fromStdString(dir_.file("submissions")));
    for (double lr : {1e-3, 3e-3}) {
      auto c = testing::shortSampleConfig(dir_.file("runs"), 3);
      c.train.learningRate = lr;
      c.run.name = lr < 2e-3 ? "slow" : "fast";
      train::TrainingObserver quiet;
      std::atomic<bool> cancel{false};
      recording::TrackedRunOptions options;
      options.databasePath = db_.toStdString();
      const auto run = recording::trainTracked(c, quiet, cancel, options);
      QVERIFY(run.result.status == RunStatus::Finished);
    }
    const auto store = tracker::RunStore::open(db_.toStdString(), tracker::RunStore::Access::ReadOnly);
    for (const auto& row : store.listRuns({})) ids_.push_back(row.id);
    QCOMPARE(ids_.size(), std::size_t{2});
  }

  void exportsFromTheDialogAndRecordsIt() {
    ExportDialog dialog({QString::number(ids_[0]), QString::number(ids_[1])}, db_);
    QVERIFY(QTest::qWaitFor([&] { return dialog.hasReport(); }, 30000));
    QAbstractItemModelTester(dialog.reportModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester(dialog.classModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(dialog.reportModel()->rowCount(), 4);  // two members, cross-fitted, in sample
    QVERIFY(dialog.reportModel()->item(2, 0)->text().contains("cross-fitted"));
    QCOMPARE(dialog.classModel()->rowCount(), 8);

    // The report follows the options: fitting a constant makes the two figures differ in kind.
    QSignalSpy ready(&dialog, &ExportDialog::reportReady);
    dialog.setVote("weighted");
    dialog.setFitPrior(true);
    QVERIFY(QTest::qWaitFor([&] { return ready.count() > 0 && dialog.report().fitted; }, 30000));

    const QString out = QString::fromStdString(dir_.file("dialog.csv"));
    dialog.setTestPath(FOLDBENCH_SOURCE_DIR "/resources/sample/test.tsv");
    dialog.setOutputPath(out);
    QSignalSpy exported(&dialog, &ExportDialog::exported);
    dialog.startExport();
    QVERIFY(QTest::qWaitFor([&] { return exported.count() == 1; }, 120000));
    QVERIFY(!dialog.statusText().contains("labelled"));  // a blind test file has no score
    const auto labels = data::LabelMap::readFile(FOLDBENCH_SOURCE_DIR "/resources/sample/labels.tsv");
    const auto submission = ensemble::readSubmission(out.toStdString(), ensemble::SubmissionFormat::Pstage, labels);
    QCOMPARE(submission.predicted.size(), testIds().size());
    for (const auto id : ids_) {
      const auto artifacts = artifactsOf(id, "submission");
      QCOMPARE(artifacts.size(), std::size_t{1});
      QCOMPARE(QFileInfo(QString::fromStdString(artifacts[0].path)).canonicalFilePath(), QFileInfo(out).canonicalFilePath());
      QCOMPARE(artifactsOf(id, "test-predictions").size(), std::size_t{1});  // the cache is recorded too
    }
    // The choices are remembered for the one-click export.
    QCOMPARE(ExportChoices::load().vote, QString("weighted"));
    QVERIFY(ExportChoices::load().fitPrior);

    // An existing file is replaced only when the user says so.
    const auto before = QFileInfo(out).lastModified();
    dialog.confirmOverwrite = [](const QString&) { return false; };
    dialog.startExport();
    QVERIFY(!dialog.isExporting());
    QVERIFY(dialog.statusText().contains("kept"));
    QCOMPARE(QFileInfo(out).lastModified(), before);
  }

  // At the dialog's size every header and cell is shown whole, without scrolling sideways.
  void headersAndCellsAreNotCut() {
    ExportDialog dialog({QString::number(ids_[0]), QString::number(ids_[1])}, db_);
    dialog.show();
    QVERIFY(QTest::qWaitFor([&] { return dialog.hasReport(); }, 30000));
    QTest::qWait(100);
    for (QTableView* table : {dialog.reportTable(), dialog.classTable()}) {
      auto* header = table->horizontalHeader();
      int total = 0;
      for (int c = 0; c < header->count(); ++c) {
        const QString title = table->model()->headerData(c, Qt::Horizontal).toString();
        QVERIFY2(header->sectionSize(c) >= header->sectionSizeHint(c), qPrintable(title));
        QVERIFY2(header->sectionSize(c) >= static_cast<QAbstractItemView*>(table)->sizeHintForColumn(c), qPrintable(title));
        total += header->sectionSize(c);
      }
      QVERIFY2(total <= table->viewport()->width(), qPrintable(QString("%1 > %2").arg(total).arg(table->viewport()->width())));
      QVERIFY(table->height() > header->height() + table->verticalHeader()->defaultSectionSize() * 3);
    }
  }

  void aLabelledTestFileIsScored() {
    // A development holdout: every row labelled, so the export says how the ensemble scores.
    std::ifstream in(FOLDBENCH_SOURCE_DIR "/resources/sample/train.tsv");
    std::ofstream holdout(dir_.file("holdout.tsv"));
    std::string line;
    for (int i = 0; i < 40 && std::getline(in, line); ++i) holdout << line << '\n';
    holdout.close();
    ExportDialog dialog({QString::number(ids_[0])}, db_);
    QVERIFY(QTest::qWaitFor([&] { return dialog.hasReport(); }, 30000));
    dialog.setTestPath(QString::fromStdString(dir_.file("holdout.tsv")));
    dialog.setOutputPath(QString::fromStdString(dir_.file("holdout.csv")));
    QSignalSpy exported(&dialog, &ExportDialog::exported);
    dialog.startExport();
    QVERIFY(QTest::qWaitFor([&] { return exported.count() == 1; }, 120000));
    QVERIFY2(dialog.statusText().contains("the test file is labelled: ensemble accuracy"), qPrintable(dialog.statusText()));
    QVERIFY(dialog.statusText().contains("on its 40 rows"));
  }

  void cancellingLeavesNoFile() {
    ExportDialog dialog({QString::number(ids_[0])}, db_);
    QVERIFY(QTest::qWaitFor([&] { return dialog.hasReport(); }, 30000));
    // A test file no cache knows, so the export has checkpoints to read.
    QFile::copy(FOLDBENCH_SOURCE_DIR "/resources/sample/test.tsv", QString::fromStdString(dir_.file("other-test.tsv")));
    {
      QFile f(QString::fromStdString(dir_.file("other-test.tsv")));
      QVERIFY(f.open(QIODevice::Append));
      f.write("cancel-0\t서울에 사는 김민수는 교사이다.\t김민수\t7\t9\t교사\t12\t13\tblind\n");
    }
    dialog.setTestPath(QString::fromStdString(dir_.file("other-test.tsv")));
    const QString out = QString::fromStdString(dir_.file("cancelled.csv"));
    dialog.setOutputPath(out);
    QSignalSpy failed(&dialog, &ExportDialog::exportFailed);
    dialog.startExport();
    dialog.cancelExport();
    QVERIFY(QTest::qWaitFor([&] { return failed.count() == 1; }, 60000));
    QVERIFY(failed.first().at(1).toBool());  // cancelled, not an error
    QVERIFY(!QFileInfo::exists(out));
    QVERIFY(!QFileInfo::exists(out + ".tmp"));
  }

  void oneClickNeverOverwrites() {
    MainWindow window;
    QSignalSpy done(window.quickExport(), &ExportRunner::finished);
    window.exportOneClick({ids_[1]});
    QVERIFY(QTest::qWaitFor([&] { return done.count() == 1; }, 120000));
    const QString first = done.at(0).at(0).toString();
    QVERIFY(QFileInfo::exists(first));
    QVERIFY(first.startsWith(QString::fromStdString(dir_.file("submissions"))));
    const auto name = tracker::RunStore::open(db_.toStdString(), tracker::RunStore::Access::ReadOnly).showRun(ids_[1]).info.name;
    QVERIFY2(QFileInfo(first).fileName().startsWith(QString::fromStdString(name) + "-"), qPrintable(first));
    const auto firstModified = QFileInfo(first).lastModified();
    window.exportOneClick({ids_[1]});
    QVERIFY(QTest::qWaitFor([&] { return done.count() == 2; }, 120000));
    const QString second = done.at(1).at(0).toString();
    QVERIFY(second != first);
    QVERIFY(QFileInfo::exists(second));
    QCOMPARE(QFileInfo(first).lastModified(), firstModified);
    QCOMPARE(QDir(QString::fromStdString(dir_.file("submissions"))).entryList(QDir::Files).size(), 2);
  }
};

QTEST_MAIN(ExportDialogTest)
#include "export_dialog_test.moc"
