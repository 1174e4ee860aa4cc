// The Run tab over runs written with RunStore (no training): the rows behind a confusion cell
// belong to the run on screen, even when the run changes while a training file is still being
// read for the run shown before.
#include <QApplication>
#include <QHeaderView>
#include <QScrollArea>
#include <QSlider>
#include <QTableView>
#include <QTest>
#include <QWheelEvent>
#include <QThreadPool>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "detail/confusion_matrix_plot.h"
#include "detail/confusion_matrix_view.h"
#include "detail/examples_browser.h"
#include "detail/run_detail_view.h"
#include "foldbench/tracker/run_store.h"
#include "tracker/tracker_reader.h"
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
  config.data.format = data::DatasetFormat::CompetitionTsv;
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

// The competition's 42 relation labels.
const char* const kKlueLabels[] = {
    "관계_없음", "인물:배우자", "인물:직업/직함", "단체:모회사", "인물:소속단체", "인물:동료", "단체:별칭",
    "인물:출신성분/국적", "인물:부모님", "단체:본사_국가", "단체:구성원", "인물:기타_친족", "단체:창립자",
    "단체:주주", "인물:사망_일시", "단체:상위_단체", "단체:본사_주(도)", "단체:제작", "인물:사망_원인",
    "인물:출생_도시", "단체:본사_도시", "인물:자녀", "인물:제작", "단체:하위_단체", "인물:별칭",
    "인물:형제/자매/남매", "인물:출생_국가", "인물:출생_일시", "단체:구성원_수", "단체:자회사",
    "인물:거주_주(도)", "단체:해산일", "인물:거주_도시", "단체:창립일", "인물:종교", "인물:거주_국가",
    "인물:용의자", "인물:사망_도시", "단체:정치/종교성향", "인물:학교", "인물:사망_국가", "인물:나이"};
constexpr int kKlueLabelCount = 42;

// A finished 42-label run whose out-of-fold file has `perLabel` rows of each gold label: most
// predicted right, every fifth as 관계_없음, every seventh as the next label.
std::int64_t addKlueRun(tracker::RunStore& store, const testing::TempDir& dir, int perLabel) {
  auto config = testing::sampleConfig(dir.file("runs"));
  config.data.trainPath = dir.file("train.tsv");
  config.data.format = data::DatasetFormat::CompetitionTsv;
  config.run.name = "klue";
  const std::string runDir = dir.file("klue");
  std::filesystem::create_directories(runDir);
  std::ofstream oof(runDir + "/oof.tsv");
  oof << "id\tlabel\tfold";
  for (const char* label : kKlueLabels) oof << '\t' << label;
  oof << '\n';
  int id = 0;
  for (int gold = 0; gold < kKlueLabelCount; ++gold)
    for (int i = 0; i < perLabel; ++i, ++id) {
      const int predicted = i % 5 == 4 ? 0 : i % 7 == 6 ? (gold + 1) % kKlueLabelCount : gold;
      oof << "row-" << id << '\t' << gold << '\t' << id % 5;
      for (int c = 0; c < kKlueLabelCount; ++c) oof << '\t' << (c == predicted ? 0.9 : 0.1 / (kKlueLabelCount - 1));
      oof << '\n';
    }
  tracker::RunInfo info;
  info.uid = "klue";
  info.name = "klue";
  info.createdAt = tracker::nowSeconds();
  info.host = tracker::hostName();
  info.pid = static_cast<int>(getpid());
  info.configJson = config::toJson(config);
  info.runDir = runDir;
  const auto run = store.createRun(info, {{"data.no_relation_label", "관계_없음"}});
  store.finishRun(run, RunStatus::Finished, "", tracker::nowSeconds());
  return run;
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
    TrackerReader thread(QString::fromStdString(db));
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
    TrackerReader thread(QString::fromStdString(db));
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

  // The Errors tab with the competition's 42 labels, at the size the Run tab has in a 1440 x 900
  // window: every label named, the matrix growing with the space, a read-out of the hovered
  // cell, Ctrl+wheel zoom, and the per-class table whole without scrolling sideways.
  void theErrorsTabIsMadeFor42Labels() {
    testing::TempDir dir;
    const auto db = dir.file("experiments.db");
    std::int64_t run = 0;
    {
      auto store = tracker::RunStore::open(db);
      run = addKlueRun(store, dir, 20);
    }
    TrackerReader thread(QString::fromStdString(db));
    RunDetailView view(&thread);
    view.resize(1000, 620);
    view.show();
    view.showRun(run);
    QVERIFY(waitForReport(view, run));
    view.pages()->setCurrentIndex(2);
    QTest::qWait(100);
    auto* matrixView = view.confusionMatrixView();
    auto* plot = view.confusionMatrix();
    auto* scroll = matrixView->scrollArea();
    QCOMPARE(plot->labelCount(), 42);
    QVERIFY2(matrixView->width() >= view.classTable()->width(),
             qPrintable(QString("%1 < %2").arg(matrixView->width()).arg(view.classTable()->width())));

    // By default every label is named and no two names touch; the matrix fills the free space.
    QVERIFY(matrixView->zoom() == ConfusionMatrixView::Zoom::Readable);
    QCOMPARE(plot->labelStride(), 1);
    QVERIFY(plot->cellSize() >= plot->readableCellSize());
    QVERIFY(plot->width() >= scroll->viewport()->width() || plot->height() >= scroll->viewport()->height());

    // The whole matrix in sight, every k-th label named without overlap; it grows with the window.
    matrixView->setZoom(ConfusionMatrixView::Zoom::Whole);
    QVERIFY(plot->width() <= scroll->viewport()->width() && plot->height() <= scroll->viewport()->height());
    QVERIFY(plot->labelStride() * plot->cellSize() >= plot->readableCellSize());
    const int smaller = plot->cellSize();
    view.resize(1400, 900);
    QTest::qWait(100);
    QVERIFY2(plot->cellSize() > smaller, qPrintable(QString("%1 -> %2").arg(smaller).arg(plot->cellSize())));
    QVERIFY(plot->width() <= scroll->viewport()->width() && plot->height() <= scroll->viewport()->height());

    // Hovering a cell names both labels, its rows and its shares.
    const int gold = 3, predicted = 0;  // 단체:모회사 rows predicted 관계_없음: every fifth, 4 of 20
    const auto& report = *view.report();
    QCOMPARE(report.confusion[gold][predicted], std::int64_t{4});
    QTest::mouseMove(plot, plot->cellCenter(gold, predicted));
    const QLocale locale;
    const QString expected = QString("gold 단체:모회사 → predicted 관계_없음: 4 rows, %1% of the gold row's 20, %2% of all %3 rows")
                                 .arg(locale.toString(20.0, 'f', 1), locale.toString(400.0 / 840.0, 'f', 1), locale.toString(840));
    QVERIFY2(QTest::qWaitFor([&] { return matrixView->readout() == expected; }, 2000), qPrintable(matrixView->readout()));

    // Ctrl+wheel zooms in (and the slider follows); the buttons come back to a fitted size.
    const int before = plot->cellSize();
    const QPoint at = plot->cellCenter(gold, predicted);
    QWheelEvent wheel(at, plot->mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::ControlModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(plot, &wheel);
    QVERIFY(matrixView->zoom() == ConfusionMatrixView::Zoom::Manual);
    QVERIFY(plot->cellSize() > before);
    QCOMPARE(matrixView->zoomSlider()->value(), plot->cellSize());
    matrixView->setZoom(ConfusionMatrixView::Zoom::Readable);
    QCOMPARE(plot->labelStride(), 1);

    // The per-class table: each column as wide as its header and cells, all in sight.
    view.resize(1000, 620);
    QTest::qWait(100);
    auto* table = view.classTable();
    auto* header = table->horizontalHeader();
    int total = 0;
    for (int c = 0; c < header->count(); ++c) {
      const QString title = table->model()->headerData(c, Qt::Horizontal).toString();
      QVERIFY2(header->sectionSize(c) >= header->sectionSizeHint(c), qPrintable(title));
      QVERIFY2(header->sectionSize(c) >= static_cast<QAbstractItemView*>(table)->sizeHintForColumn(c), qPrintable(title));
      total += header->sectionSize(c);
    }
    QStringList widths;
    for (int c = 0; c < header->count(); ++c) widths << QString::number(header->sectionSize(c));
    QVERIFY2(total <= table->viewport()->width(),
             qPrintable(QString("%1 > %2: %3").arg(total).arg(table->viewport()->width()).arg(widths.join(' '))));
    QVERIFY(table->height() >= header->height() + 10 * table->verticalHeader()->defaultSectionSize());
  }
};

QTEST_MAIN(RunDetailTest)
#include "run_detail_test.moc"
