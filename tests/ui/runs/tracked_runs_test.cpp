// The browsing tabs over runs trained by separate `foldbench-cli train` processes while the
// window is open: the Runs tab follows them (running, finished, killed = crashed), the Run tab
// grows with a running run and then shows its folds and a confusion matrix of its out-of-fold
// predictions, and the Compare tab shows only the differing parameters and the tests.
#include <QAbstractItemModelTester>
#include <QProcess>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTest>
#include <optional>
#include <csignal>
#include <set>

#include "compare/compare_view.h"
#include "detail/confusion_matrix_plot.h"
#include "detail/examples_browser.h"
#include "detail/run_detail_view.h"
#include "app_settings.h"
#include "foldbench/config/experiment_config.h"
#include "foldbench/train/fold_trainer.h"
#include "shared/fold_chart.h"
#include "main_window.h"
#include "runs/runs_table_model.h"
#include "runs/runs_view.h"
#include "temp_dir.h"
#include "ui_test_support.h"

using namespace foldbench;
using namespace foldbench::ui;

class TrackedRunsTest : public QObject {
  Q_OBJECT

  testing::TempDir dir_;
  QString db_;
  std::unique_ptr<MainWindow> window_;
  qint64 first_ = 0, second_ = 0;

  QString writeConfig(const std::string& name, double lr, int epochs) {
    auto c = testing::shortSampleConfig(dir_.file("runs"), epochs);
    c.train.learningRate = lr;
    c.run.name = name;
    const auto path = dir_.file(name + ".json");
    config::saveConfig(c, path);
    return QString::fromStdString(path);
  }

  QProcess* startCli(const QString& configPath) {
    auto* p = new QProcess(this);
    p->setProcessChannelMode(QProcess::MergedChannels);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("XDG_CACHE_HOME", QString::fromStdString(dir_.file("cache")));
    p->setProcessEnvironment(env);
    p->start(FOLDBENCH_CLI, {"train", "--config", configPath, "--db", db_, "--tag", "cli"});
    return p;
  }

  qint64 onlyRunNamed(const QString& name) const {
    const auto* model = window_->runsView()->model();
    for (int row = 0; row < model->rowCount(); ++row)
      if (QString::fromStdString(model->run(row).info.name) == name) return model->run(row).id;
    return 0;
  }

  std::optional<RunStatus> statusOf(qint64 id) const {
    const auto* model = window_->runsView()->model();
    const int row = model->rowOf(id);
    return row < 0 ? std::nullopt : std::optional<RunStatus>(model->statusOf(row));
  }

 private slots:
  void initTestCase() {
    testing::isolateSettings();
    db_ = QString::fromStdString(dir_.file("experiments.db"));
    settings::kDatabasePath.write(db_);
    window_ = std::make_unique<MainWindow>();
    window_->resize(1400, 900);
    window_->show();
  }

  void browserAndDetailFollowACliProcess() {
    auto* cli = startCli(writeConfig("cli-a", 0.001, 4));
    QVERIFY(cli->waitForStarted());
    // Listed while it trains, by a process that is not this window.
    QVERIFY(QTest::qWaitFor([&] { return onlyRunNamed("cli-a") > 0; }, 60000));
    first_ = onlyRunNamed("cli-a");
    QVERIFY(statusOf(first_) == RunStatus::Running);
    window_->openRun(first_);
    auto* detail = window_->runDetail();
    QCOMPARE(window_->tabs()->currentWidget(), static_cast<QWidget*>(detail));
    QVERIFY(QTest::qWaitFor([&] { return detail->hasRun(); }, 10000));
    const int loadsWhileRunning = detail->loadCount();
    QVERIFY(cli->waitForFinished(300000));
    QVERIFY2(cli->exitCode() == 0, cli->readAll().constData());
    QVERIFY(QTest::qWaitFor([&] { return statusOf(first_) == RunStatus::Finished; }, 10000));
    // The detail view re-read the run as it changed and now holds every epoch of each fold.
    QVERIFY(QTest::qWaitFor([&] { return detail->displayedStatus() == RunStatus::Finished && detail->report().has_value(); }, 10000));
    QVERIFY(detail->loadCount() > loadsWhileRunning);
    QCOMPARE(detail->accuracyChart()->pointCount(0, FoldChart::Series::Solid), 4);
    QCOMPARE(detail->accuracyChart()->pointCount(1, FoldChart::Series::Dashed), 4);
    QVERIFY(detail->accuracyChart()->hasBestMark(1));
  }

  void detailShowsFoldsAndAConfusionMatrixOfTheOutOfFoldRows() {
    auto* detail = window_->runDetail();
    QVERIFY(detail->report().has_value());
    for (auto* model : {detail->foldModel(), detail->classModel(), detail->artifactModel()})
      QAbstractItemModelTester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(detail->foldModel()->rowCount(), 2);
    const auto& report = *detail->report();
    std::int64_t cells = 0;
    for (const auto& row : report.confusion)
      for (auto cell : row) cells += cell;
    QCOMPARE(cells, std::int64_t{480});  // every training row has one out-of-fold prediction
    QCOMPARE(detail->confusionMatrix()->total(), cells);
    QCOMPARE(detail->classModel()->rowCount(), static_cast<int>(report.labels.size()));
    QVERIFY(detail->artifactModel()->rowCount() >= 4);  // checkpoints, oof, config, summary
    // What the run was made with, for explaining it later.
    QCOMPARE(QString::fromStdString(detail->detail().info.torchVersion), QString::fromStdString(train::torchVersion()));
    QCOMPARE(QString::fromStdString(detail->detail().info.torchVersion).count('.'), 2);
    bool blasRecorded = false;
    for (const auto& f : detail->detail().fields)
      blasRecorded = blasRecorded || (f.key == "sys/blas" && f.text.find("kernels") != std::string::npos);
    QVERIFY(blasRecorded);

    // Clicking a cell lists its rows, with the entities marked.
    detail->pages()->setCurrentIndex(2);
    QTest::qWait(100);
    auto* matrix = detail->confusionMatrix();
    int gold = 0;
    while (report.confusion[gold][gold] == 0) ++gold;
    QTest::mouseClick(matrix, Qt::LeftButton, {}, matrix->cellCenter(gold, gold));
    QVERIFY(QTest::qWaitFor([&] { return detail->examples()->shownRows() > 0; }, 20000));
    QCOMPARE(std::int64_t{detail->examples()->shownRows()}, std::min<std::int64_t>(report.confusion[gold][gold], 200));
    QVERIFY(detail->examples()->toHtml().contains("#cfe3f7"));

    matrix->setNormalised(true);
    double rowShare = 0.0;
    for (int p = 0; p < matrix->labelCount(); ++p) rowShare += matrix->cellValue(gold, p);
    QVERIFY(std::abs(rowShare - 1.0) < 1e-9);
  }

  void compareShowsOnlyTheDifferingParametersAndTheTests() {
    auto* cli = startCli(writeConfig("cli-b", 0.003, 4));
    QVERIFY(cli->waitForFinished(300000));
    QVERIFY2(cli->exitCode() == 0, cli->readAll().constData());
    QVERIFY(QTest::qWaitFor([&] { return onlyRunNamed("cli-b") > 0 && statusOf(onlyRunNamed("cli-b")) == RunStatus::Finished; }, 10000));
    second_ = onlyRunNamed("cli-b");
    window_->compareRuns({first_, second_});
    auto* compare = window_->compareView();
    QVERIFY(QTest::qWaitFor([&] { return compare->hasComparison(); }, 20000));
    for (auto* model : {compare->parameterModel(), compare->scoreModel(), compare->testModel()})
      QAbstractItemModelTester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    std::set<QString> shown;
    for (int row = 0; row < compare->parameterModel()->rowCount(); ++row) shown.insert(compare->parameterModel()->item(row, 0)->text());
    QCOMPARE(shown, (std::set<QString>{"run.name", "train.lr"}));
    compare->setOnlyDifferences(false);
    QVERIFY(compare->parameterModel()->rowCount() > 40);

    // Same data, folds and seed: every test applies.
    const auto& tests = compare->comparison().tests;
    QCOMPARE(tests.size(), std::size_t{1});
    QVERIFY(tests[0].tTest.has_value());
    QVERIFY(tests[0].mcnemar.has_value());
    QVERIFY(tests[0].bootstrap.has_value());
    QCOMPARE(compare->testModel()->rowCount(), 3);
    QVERIFY(compare->testModel()->item(0, 1)->text().contains("t-test"));
    QVERIFY(!compare->testModel()->item(0, 4)->text().isEmpty());  // a p-value
    QVERIFY(compare->testModel()->item(1, 1)->text().contains("McNemar"));

    // The command line prints the same tests.
    QProcess cliCompare;
    cliCompare.start(FOLDBENCH_CLI, {"runs", "compare", QString::number(first_), QString::number(second_), "--db", db_});
    QVERIFY(cliCompare.waitForFinished(30000));
    const QString out = cliCompare.readAllStandardOutput();
    QVERIFY2(out.contains("corrected resampled t-test on 2 paired folds"), qPrintable(out));
    QVERIFY2(out.contains("McNemar on out-of-fold predictions"), qPrintable(out));
    QVERIFY2(out.contains("params.train.lr"), qPrintable(out));
  }

  void aKilledTrainingProcessShowsAsCrashed() {
    auto* cli = startCli(writeConfig("cli-killed", 0.001, 30));
    QVERIFY(QTest::qWaitFor([&] { return onlyRunNamed("cli-killed") > 0; }, 60000));
    const qint64 id = onlyRunNamed("cli-killed");
    QVERIFY(statusOf(id) == RunStatus::Running);
    ::kill(static_cast<pid_t>(cli->processId()), SIGKILL);
    QVERIFY(cli->waitForFinished(10000));
    // Nothing writes to the tracker any more; the view still re-reads while it shows running runs.
    QVERIFY(QTest::qWaitFor([&] { return statusOf(id) == RunStatus::Crashed; }, 15000));
  }

  void cleanupTestCase() { window_.reset(); }
};

QTEST_MAIN(TrackedRunsTest)
#include "tracked_runs_test.moc"
