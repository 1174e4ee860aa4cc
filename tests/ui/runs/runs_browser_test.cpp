// The Runs tab over a real tracker file written with RunStore: in-place model updates (checked
// by QAbstractItemModelTester), filter errors at the field, sorting, crashed runs, and the
// writes a user makes from the browser (tag, rename, delete).
#include <QAbstractItemModelTester>
#include <QHeaderView>
#include <QFont>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "foldbench/tracker/run_store.h"
#include "shared/run_status.h"
#include "runs/runs_table_model.h"
#include "runs/runs_view.h"
#include "tracker/tracker_reader.h"
#include "temp_dir.h"
#include "ui_test_support.h"

using namespace foldbench;
using namespace foldbench::ui;

namespace {

tracker::RunInfo runInfo(const std::string& uid, const std::string& name) {
  tracker::RunInfo i;
  i.uid = uid;
  i.name = name;
  i.createdAt = tracker::nowSeconds();
  i.host = tracker::hostName();
  i.pid = static_cast<int>(getpid());
  i.configJson = "{}";
  return i;
}

std::int64_t addFinishedRun(tracker::RunStore& store, const std::string& uid, double accuracy, const std::string& family) {
  const auto id = store.createRun(runInfo(uid, "run-" + uid), {{"model.family", family}, {"train.lr", "0.001"}});
  store.setFields(id, {{"cv/val/acc/mean", accuracy, ""}, {"cv/val/acc/std", 0.01, ""}});
  store.finishRun(id, RunStatus::Finished, "", tracker::nowSeconds());
  return id;
}

bool waitForListing(RunsView& view, int after) {
  return QTest::qWaitFor([&] { return view.listCount() > after; }, 10000);
}

}  // namespace

class RunsBrowserTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { testing::isolateSettings(); }

  void modelUpdatesInPlaceAndPassesTheTester() {
    RunsTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const double beat = tracker::nowSeconds();
    auto row = [beat](std::int64_t id, RunStatus status, double acc) {
      tracker::RunRow r;
      r.id = id;
      r.info.uid = "uid-" + std::to_string(id);
      r.info.status = status;
      r.info.host = "elsewhere";  // never judged dead by pid
      r.info.heartbeatAt = beat;
      r.fields["cv/val/acc/mean"] = {"cv/val/acc/mean", acc, ""};
      return r;
    };
    const double now = tracker::nowSeconds();
    model.setRuns({row(1, RunStatus::Finished, 0.5), row(2, RunStatus::Running, 0.6), row(3, RunStatus::Finished, 0.7)}, now);
    QCOMPARE(model.rowCount(), 3);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    // Run 2 finished, run 1 was deleted, run 4 is new: no reset, one change, one removal, one insertion.
    model.setRuns({row(2, RunStatus::Finished, 0.6), row(3, RunStatus::Finished, 0.7), row(4, RunStatus::Running, 0.1)}, now);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(removed.count(), 1);
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.rowOf(1), -1);
    QVERIFY(model.statusOf(model.rowOf(2)) == RunStatus::Finished);
    const int accColumn = model.columns().indexOf("cv/val/acc/mean");
    QCOMPARE(model.data(model.index(model.rowOf(3), accColumn)).toString(), QLocale().toString(0.7, 'f', 4));
    // The same rows again change nothing.
    changed.clear();
    model.setRuns({row(2, RunStatus::Finished, 0.6), row(3, RunStatus::Finished, 0.7), row(4, RunStatus::Running, 0.1)}, now);
    QCOMPARE(changed.count(), 0);
  }

  void listsFiltersAndSortsATrackerFile() {
    testing::TempDir dir;
    const auto path = dir.file("experiments.db");
    {
      auto store = tracker::RunStore::open(path);
      addFinishedRun(store, "a", 0.61, "ngram");
      addFinishedRun(store, "b", 0.72, "transformer");
      addFinishedRun(store, "c", 0.55, "transformer");
    }
    TrackerReader thread(QString::fromStdString(path));
    RunsView view(&thread);
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(QTest::qWaitFor([&] { return view.model()->rowCount() == 3; }, 10000));

    int listed = view.listCount();
    view.setFilter("cv/val/acc/mean > 0.6");
    QVERIFY(waitForListing(view, listed));
    QCOMPARE(view.model()->rowCount(), 2);
    QVERIFY(view.filterError().isEmpty());

    listed = view.listCount();
    view.setFilter("params.model.family = transformer and cv/val/acc/mean >");
    QVERIFY(!view.filterError().isEmpty());
    QVERIFY2(view.filterError().contains("character"), qPrintable(view.filterError()));
    QTest::qWait(300);
    QCOMPARE(view.listCount(), listed);  // a bad filter is not sent to the store
    QCOMPARE(view.model()->rowCount(), 2);

    view.setFilter("");
    QVERIFY(QTest::qWaitFor([&] { return view.model()->rowCount() == 3; }, 10000));
    const int accColumn = view.model()->columns().indexOf("cv/val/acc/mean");
    view.table()->sortByColumn(accColumn, Qt::DescendingOrder);
    auto* proxy = view.proxy();
    QCOMPARE(proxy->index(0, view.model()->columns().indexOf("uid")).data().toString(), QString("b"));
    QCOMPARE(proxy->index(2, view.model()->columns().indexOf("uid")).data().toString(), QString("c"));
    view.table()->sortByColumn(accColumn, Qt::AscendingOrder);
    QCOMPARE(proxy->index(0, view.model()->columns().indexOf("uid")).data().toString(), QString("c"));

    // A user column: any parameter; remembered for the next window.
    listed = view.listCount();
    view.addColumn("params.train.lr");
    QVERIFY(waitForListing(view, listed));
    const int lr = view.model()->columns().indexOf("params.train.lr");
    QVERIFY(lr > 0);
    QCOMPARE(view.model()->index(0, lr).data().toString(), QString("0.001"));
    RunsView again(&thread);
    QVERIFY(again.model()->columns().contains("params.train.lr"));
  }

  void aRunWhoseProcessIsGoneShowsAsCrashed() {
    testing::TempDir dir;
    const auto path = dir.file("experiments.db");
    {
      auto store = tracker::RunStore::open(path);
      auto dead = runInfo("dead", "dead");
      const pid_t child = fork();
      if (child == 0) _exit(0);
      waitpid(child, nullptr, 0);
      dead.pid = child;
      store.createRun(dead, {});
      store.createRun(runInfo("alive", "alive"), {});
    }
    TrackerReader thread(QString::fromStdString(path));
    RunsView view(&thread);
    QVERIFY(QTest::qWaitFor([&] { return view.model()->rowCount() == 2; }, 10000));
    const auto* model = view.model();
    QVERIFY(model->statusOf(model->rowOf(1)) == RunStatus::Crashed);
    QVERIFY(model->statusOf(model->rowOf(2)) == RunStatus::Running);
    const int status = model->columns().indexOf("status");
    QVERIFY(!model->data(model->index(model->rowOf(1), status), Qt::ToolTipRole).toString().isEmpty());
    QVERIFY(!model->data(model->index(model->rowOf(1), status), Qt::DecorationRole).isNull());
  }

  void clusterRunsShowQueuedAndRunningWithoutADuration() {
    testing::TempDir dir;
    const auto path = dir.file("experiments.db");
    {
      auto store = tracker::RunStore::open(path);
      auto queued = runInfo("queued", "queued");
      queued.status = RunStatus::Queued;
      queued.host = std::string(tracker::kClusterHostPrefix) + "7";
      queued.pid = 0;
      queued.createdAt -= 3600;
      store.createRun(queued, {});
      auto started = queued;
      started.uid = "started";
      const auto id = store.createRun(started, {});
      store.markRunning(id, started.host, tracker::nowSeconds() - 600);  // heartbeat long ago
    }
    TrackerReader thread(QString::fromStdString(path));
    RunsView view(&thread);
    QVERIFY(QTest::qWaitFor([&] { return view.model()->rowCount() == 2; }, 10000));
    const auto* model = view.model();
    QVERIFY(model->statusOf(model->rowOf(1)) == RunStatus::Queued);
    QVERIFY(model->statusOf(model->rowOf(2)) == RunStatus::Running);  // not crashed: its merge settles it
    const int status = model->columns().indexOf("status"), duration = model->columns().indexOf("duration");
    QCOMPARE(model->data(model->index(model->rowOf(1), status)).toString(), QStringLiteral("queued"));
    QVERIFY(model->data(model->index(model->rowOf(1), duration)).toString().isEmpty());
    QVERIFY(model->data(model->index(model->rowOf(2), duration)).toString().isEmpty());
    QVERIFY(statusColor(RunStatus::Queued) != statusColor(RunStatus::Running));
  }

  void tagsRenamesAndDeletesWithConfirmation() {
    testing::TempDir dir;
    const auto path = dir.file("experiments.db");
    std::int64_t a = 0, b = 0, running = 0;
    {
      auto store = tracker::RunStore::open(path);
      a = addFinishedRun(store, "a", 0.6, "ngram");
      b = addFinishedRun(store, "b", 0.7, "ngram");
      running = store.createRun(runInfo("r", "still training"), {});
      store.heartbeat({running}, tracker::nowSeconds());
    }
    TrackerReader thread(QString::fromStdString(path));
    RunsView view(&thread);
    QVERIFY(QTest::qWaitFor([&] { return view.model()->rowCount() == 3; }, 10000));
    view.tagRuns({a, b}, {"baseline", "smoke"});
    view.renameRun(a, "renamed");
    QVERIFY(QTest::qWaitFor([&] {
      const int row = view.model()->rowOf(a);
      return row >= 0 && view.model()->run(row).info.name == "renamed" && view.model()->run(row).tags.size() == 2;
    }, 10000));
    QCOMPARE(view.model()->run(view.model()->rowOf(b)).tags.size(), std::size_t{2});

    QStringList asked;
    view.confirm = [&](const QString&, const QString& question) {
      asked << question;
      return false;  // the user says no
    };
    view.deleteRuns({b});
    QCOMPARE(asked.size(), 1);
    QVERIFY(asked[0].contains("b"));
    QTest::qWait(400);
    QVERIFY(view.model()->rowOf(b) >= 0);
    view.confirm = [&](const QString&, const QString& question) {
      asked << question;
      return true;
    };
    view.deleteRuns({running});  // refused without asking: the run is training
    QCOMPARE(asked.size(), 1);
    view.deleteRuns({b});
    QVERIFY(QTest::qWaitFor([&] { return view.model()->rowOf(b) < 0; }, 10000));
    QCOMPARE(view.model()->rowCount(), 2);
    const auto store = tracker::RunStore::open(path, tracker::RunStore::Access::ReadOnly);
    QCOMPARE(store.listRuns({}).size(), std::size_t{2});
  }

  void pruneFreesTheCheckpointsAfterAskingAndShowsTheNewSize() {
    testing::TempDir dir;
    const auto path = dir.file("experiments.db");
    const std::string runDir = dir.file("runs/p");
    std::int64_t id = 0;
    {
      auto store = tracker::RunStore::open(path);
      auto info = runInfo("p", "prunable");
      info.runDir = runDir;
      id = store.createRun(info, {});
      std::filesystem::create_directories(runDir + "/fold-0");
      std::ofstream(runDir + "/summary.json") << R"({"run_id": "p"})";
      std::ofstream(runDir + "/fold-0/best.pt") << std::string(50000, 'x');
      tracker::FoldRecord fold;
      fold.status = "finished";
      fold.bestEpoch = 1;
      fold.checkpoint = runDir + "/fold-0/best.pt";
      store.upsertFold(id, fold);
      store.setFields(id, {{"sys/disk_bytes", 50016.0, ""}});
      store.finishRun(id, RunStatus::Finished, "", tracker::nowSeconds());
    }
    TrackerReader thread(QString::fromStdString(path));
    RunsView view(&thread);
    QVERIFY(QTest::qWaitFor([&] { return view.model()->rowCount() == 1; }, 10000));
    const int sizeColumn = view.model()->columns().indexOf("sys/disk_bytes");
    QVERIFY(sizeColumn >= 0);
    QCOMPARE(view.model()->headerData(sizeColumn, Qt::Horizontal).toString(), QString("Size"));
    QCOMPARE(view.model()->index(0, sizeColumn).data().toString(), QString("50.0 KB"));
    QString asked, title;
    view.confirm = [&](const QString& t, const QString& question) {
      title = t;
      asked = question;
      return true;
    };
    view.pruneRuns({id});
    QVERIFY(QTest::qWaitFor([&] { return !std::filesystem::exists(runDir + "/fold-0/best.pt"); }, 10000));
    QVERIFY2(asked.contains("50.0 KB"), qPrintable(asked));
    QCOMPARE(title, QString("Prune Checkpoints?"));
    QVERIFY(std::filesystem::exists(runDir + "/PRUNED"));
    QVERIFY(QTest::qWaitFor([&] {
      view.refresh();
      return view.model()->index(0, sizeColumn).data().toString().endsWith(" B");
    }, 10000));
  }

  void changesAreReadIncrementallyAndStillFollowTheFilter() {
    testing::TempDir dir;
    const auto path = dir.file("experiments.db");
    auto store = tracker::RunStore::open(path);
    addFinishedRun(store, "done", 0.5, "ngram");
    const auto training = store.createRun(runInfo("training", "training"), {});
    TrackerReader thread(QString::fromStdString(path));
    RunsView view(&thread);
    QVERIFY(QTest::qWaitFor([&] { return view.model()->rowCount() == 2; }, 10000));
    view.setFilter("status = running");
    QVERIFY(QTest::qWaitFor([&] { return view.model()->rowCount() == 1; }, 10000));
    // Another connection finishes the run: it no longer matches and leaves the table.
    store.finishRun(training, RunStatus::Finished, "", tracker::nowSeconds());
    QVERIFY(QTest::qWaitFor([&] { return view.model()->rowCount() == 0; }, 10000));
    const auto next = store.createRun(runInfo("next", "next"), {});
    QVERIFY(QTest::qWaitFor([&] { return view.model()->rowOf(next) >= 0; }, 10000));
    QCOMPARE(view.model()->rowCount(), 1);
  }

  void aRunningRunShowsTheMeanOfItsFinishedFoldsAsPartial() {
    testing::TempDir dir;
    const auto path = dir.file("experiments.db");
    auto store = tracker::RunStore::open(path);
    const auto id = store.createRun(runInfo("live", "live"),
                                    {{"kfold.enabled", "true"}, {"kfold.fold", "-1"}, {"kfold.folds", "5"}});
    // What the recorder writes as each fold ends.
    const auto finishFold = [&](int fold, double accuracy) {
      store.upsertFold(id, {fold, "finished", 2, 0.7, accuracy, 0.5, 1.0, "fold-" + std::to_string(fold) + "/best.pt"});
      store.setFields(id, {{"fold/" + std::to_string(fold) + "/val/acc", accuracy, ""},
                           {"fold/" + std::to_string(fold) + "/val/micro_f1", accuracy - 0.1, ""}});
      store.heartbeat({id}, tracker::nowSeconds());
    };
    finishFold(0, 0.60);
    finishFold(1, 0.62);
    finishFold(2, 0.61);
    TrackerReader thread(QString::fromStdString(path));
    RunsView view(&thread);
    QVERIFY(QTest::qWaitFor([&] { return view.model()->rowCount() == 1; }, 10000));
    const auto* model = view.model();
    const int acc = model->columns().indexOf("cv/val/acc/mean");
    const auto cell = [&] { return model->data(model->index(model->rowOf(id), acc)).toString(); };
    const auto n = [](double v) { return QLocale().toString(v, 'f', 4); };
    const double sd3 = std::sqrt((0.01 * 0.01 + 0.01 * 0.01) / 3.0);  // population std, as the run's cv/ field
    QCOMPARE(cell(), n(0.61) + QString::fromUtf8(" ± ") + n(sd3) + " (3/5)");
    QVERIFY(model->data(model->index(model->rowOf(id), acc), Qt::FontRole).value<QFont>().italic());
    QVERIFY(model->data(model->index(model->rowOf(id), acc), Qt::ToolTipRole).toString().contains("3 of 5"));
    QCOMPARE(model->data(model->index(model->rowOf(id), acc), RunsTableModel::SortRole).toDouble(), 0.61);
    // The next fold is followed as it finishes.
    finishFold(3, 0.65);
    QVERIFY2(QTest::qWaitFor([&] { return cell().endsWith("(4/5)"); }, 10000), qPrintable(cell()));
    QVERIFY(cell().startsWith(n(0.62)));
    // The finished run's own value replaces the partial one.
    finishFold(4, 0.62);
    store.setFields(id, {{"cv/val/acc/mean", 0.62, ""}, {"cv/val/acc/std", 0.0167, ""}});
    store.finishRun(id, RunStatus::Finished, "", tracker::nowSeconds());
    QVERIFY2(QTest::qWaitFor([&] { return cell() == n(0.62) + QString::fromUtf8(" ± ") + n(0.0167); }, 10000), qPrintable(cell()));
    QVERIFY(!model->data(model->index(model->rowOf(id), acc), Qt::FontRole).value<QFont>().italic());
  }

  void columnsAreAsWideAsTheirContentEvenInANarrowWindow() {
    testing::TempDir dir;
    const auto path = dir.file("experiments.db");
    {
      auto store = tracker::RunStore::open(path);
      const auto id = addFinishedRun(store, "20261204-202248-812d", 0.9896, "transformer");
      store.setFields(id, {{"cv/val/micro_f1/mean", 0.9841, ""}, {"cv/val/micro_f1/std", 0.0112, ""}, {"cv/oof/acc", 0.9896, ""}});
      store.addTags(id, {"gui"});
    }
    TrackerReader thread(QString::fromStdString(path));
    RunsView view(&thread);
    view.resize(700, 400);  // narrower than the columns together
    view.show();
    QVERIFY(QTest::qWaitFor([&] { return view.model()->rowCount() == 1; }, 10000));
    QTest::qWait(100);
    auto* table = view.table();
    auto* header = table->horizontalHeader();
    int total = 0;
    for (int c = 0; c < header->count() - 1; ++c) {  // the last column stretches
      const QString key = view.model()->columns()[c];
      QVERIFY2(header->sectionSize(c) >= static_cast<QAbstractItemView*>(table)->sizeHintForColumn(c), qPrintable(key));
      QVERIFY2(header->sectionSize(c) >= header->sectionSizeHint(c), qPrintable(key));
      total += header->sectionSize(c);
    }
    QVERIFY(total > table->viewport()->width());  // so the table scrolls rather than cutting cells
    const int uid = view.model()->columns().indexOf("uid");
    const QString shown = view.proxy()->index(0, uid).data().toString();
    QVERIFY(header->sectionSize(uid) >= table->fontMetrics().horizontalAdvance(shown));
  }

  void aMissingTrackerIsReportedAndPickedUpWhenItAppears() {
    testing::TempDir dir;
    const auto path = dir.file("later.db");
    TrackerReader thread(QString::fromStdString(path));
    QSignalSpy unavailable(&thread, &TrackerReader::unavailable);
    RunsView view(&thread);
    QVERIFY(QTest::qWaitFor([&] { return unavailable.count() > 0; }, 5000));
    QVERIFY(unavailable.first().first().toString().contains("does not exist"));
    {
      auto store = tracker::RunStore::open(path);
      addFinishedRun(store, "first", 0.5, "ngram");
    }
    QVERIFY(QTest::qWaitFor([&] { return view.model()->rowCount() == 1; }, 10000));
  }
};

QTEST_MAIN(RunsBrowserTest)
#include "runs_browser_test.moc"
