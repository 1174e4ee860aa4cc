// The Run tab over runs written with RunStore (no training): the rows behind a confusion cell
// belong to the run on screen, even when the run changes while a training file is still being
// read for the run shown before.
#include <QTest>
#include <QThreadPool>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "detail/examples_browser.h"
#include "detail/run_detail_view.h"
#include "foldbench/tracker/run_store.h"
#include "runs/store_thread.h"
#include "temp_dir.h"
#include "ui_test_support.h"

using namespace foldbench;
using namespace foldbench::ui;

namespace {

// Two rows with the same ids in every run; the sentence says which file it came from. `word`
// is two syllables: the subject is code points 0-1, the object 3-6.
std::string trainingRows(const std::string& word) {
  return "row-0\t" + word + " 가나다라 마바사.\t" + word + "\t0\t1\t가나다라\t3\t6\t관계_없음\n" +
         "row-1\t" + word + " 아자차카 타파하.\t" + word + "\t0\t1\t아자차카\t3\t6\t관계_없음\n";
}

// A finished run trained on `trainPath`, with out-of-fold predictions for row-0 and row-1
// (both gold and predicted 관계_없음).
std::int64_t addRun(tracker::RunStore& store, const testing::TempDir& dir, const std::string& name, const std::string& trainPath) {
  auto config = testing::sampleConfig(dir.file("runs"));
  config.data.trainPath = trainPath;
  config.data.format = "tsv";
  config.run.name = name;
  const std::string runDir = dir.file(name);
  std::filesystem::create_directories(runDir);
  std::ofstream(runDir + "/oof.tsv") << "id\tlabel\tfold\t관계_없음\t인물:배우자\t인물:직업/직함\n"
                                     << "row-0\t0\t0\t0.8\t0.1\t0.1\nrow-1\t0\t1\t0.7\t0.2\t0.1\n";
  tracker::RunInfo info;
  info.uid = name;
  info.name = name;
  info.createdAt = tracker::nowSeconds();
  info.host = tracker::hostName();
  info.pid = static_cast<int>(getpid());
  info.configJson = config::toJson(config);
  info.runDir = runDir;
  const auto id = store.createRun(info, {{"data.no_relation_label", "관계_없음"}});
  store.finishRun(id, RunStatus::Finished, "", tracker::nowSeconds());
  return id;
}

// Feeds a reader still waiting on the pipe when the test ends early, so no read hangs the pool.
struct PipeFeeder {
  std::string path;
  ~PipeFeeder() {
    const int fd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK);
    if (fd >= 0) ::close(fd);
  }
};

bool waitForReport(RunDetailView& view, qint64 id) {
  return QTest::qWaitFor([&] { return view.hasRun() && view.runId() == id && view.report().has_value(); }, 10000);
}

}  // namespace

class RunDetailTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { testing::isolateSettings(); }

  void aCellListsTheRowsOfTheRunOnScreenNotOfTheRunBefore() {
    testing::TempDir dir;
    // Run A's training file is a pipe: reading it waits until the test writes, so A's read is
    // surely still going when the view moves to run B.
    const auto pipeA = dir.file("train-a.tsv");
    QCOMPARE(::mkfifo(pipeA.c_str(), 0600), 0);
    const PipeFeeder feeder{pipeA};
    const auto fileB = dir.write("train-b.tsv", trainingRows("베타"));
    const auto db = dir.file("experiments.db");
    std::int64_t a = 0, b = 0;
    {
      auto store = tracker::RunStore::open(db);
      a = addRun(store, dir, "run-a", pipeA);
      b = addRun(store, dir, "run-b", fileB);
    }
    StoreThread thread(QString::fromStdString(db));
    RunDetailView view(&thread);
    view.resize(1200, 800);
    view.show();

    view.showRun(a);
    QVERIFY(waitForReport(view, a));
    view.showCell(0, 0);
    QVERIFY(view.examples()->isLoading());
    QCOMPARE(view.examples()->shownRows(), 0);

    view.showRun(b);
    QVERIFY(waitForReport(view, b));
    QVERIFY(!view.examples()->toPlainText().contains("알파"));
    view.showCell(0, 0);

    // Now run A's file arrives, after the view moved on.
    std::thread writer([&] { std::ofstream(pipeA) << trainingRows("알파"); });
    writer.join();
    QThreadPool::globalInstance()->waitForDone(10000);
    QVERIFY(QTest::qWaitFor([&] { return !view.examples()->isLoading() && view.examples()->shownRows() > 0; }, 10000));
    QTest::qWait(200);  // anything still queued for the earlier read arrives now
    const QString shown = view.examples()->toPlainText();
    QVERIFY2(shown.contains("베타 가나다라"), qPrintable(shown));
    QVERIFY2(!shown.contains("알파"), qPrintable(shown));
    QCOMPARE(view.examples()->shownRows(), 2);
  }

  void anotherRunOnTheSameFileDoesNotKeepTheCellOfTheRunBefore() {
    testing::TempDir dir;
    const auto file = dir.write("train.tsv", trainingRows("감마"));
    const auto db = dir.file("experiments.db");
    std::int64_t a = 0, b = 0;
    {
      auto store = tracker::RunStore::open(db);
      a = addRun(store, dir, "run-a", file);
      b = addRun(store, dir, "run-b", file);
    }
    StoreThread thread(QString::fromStdString(db));
    RunDetailView view(&thread);
    view.show();
    view.showRun(a);
    QVERIFY(waitForReport(view, a));
    view.showCell(0, 0);
    QVERIFY(QTest::qWaitFor([&] { return view.examples()->shownRows() == 2; }, 10000));
    view.showRun(b);
    QVERIFY(waitForReport(view, b));
    // Run B's rows are the same sentences, but no cell of B was clicked: the list is empty.
    QCOMPARE(view.examples()->shownRows(), 0);
    QVERIFY2(!view.examples()->toPlainText().contains("감마"), qPrintable(view.examples()->toPlainText()));
  }
};

QTEST_MAIN(RunDetailTest)
#include "run_detail_test.moc"
