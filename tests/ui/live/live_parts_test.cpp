// The parts of the Live tab on their own: progress and ETA from events, the fold table model,
// chart export.
#include <QAbstractItemModelTester>
#include <QFile>
#include <QFileInfo>
#include <QTest>

#include "shared/event_buffer.h"
#include "shared/fold_chart.h"
#include "live/fold_table_model.h"
#include "live/run_progress.h"
#include "temp_dir.h"

using namespace foldbench;
using namespace foldbench::ui;

class LivePartsTest : public QObject {
  Q_OBJECT
 private slots:
  void progressAndEtaFollowTheEvents() {
    RunProgress p;
    p.reset(2);
    const auto t0 = RunProgress::Clock::now();
    p.apply(train::PhaseEvent{train::RunPhase::Encoding, 512, 1024}, t0);
    QVERIFY(p.preparing());
    QCOMPARE(p.phaseDone(), std::size_t{512});
    train::RunStartEvent start;
    start.folds = 2;
    start.totalSteps = 40;
    start.device = "cpu";
    start.threads = 2;
    p.apply(start, t0);
    QVERIFY(!p.etaSeconds(t0));
    p.apply(FoldStartEvent{0, 100, 25}, t0);
    train::StepEvent step;
    step.fold = 0;
    step.epoch = 1;
    step.step = 10;
    step.totalSteps = 20;
    step.examplesPerSecond = 50;
    p.apply(step, t0 + std::chrono::seconds(10));
    // 10 of 40 steps in 10 s: 30 s left.
    QCOMPARE(qRound(*p.etaSeconds(t0 + std::chrono::seconds(10))), 30);
    QCOMPARE(p.fraction(), 0.25);
    FoldEndEvent end;
    end.fold = 0;
    end.steps = 20;
    p.apply(end, t0 + std::chrono::seconds(20));
    QCOMPARE(p.foldsDone(), 1);
    QCOMPARE(p.stepsDone(), 20L);
    QCOMPARE(QString::fromStdString(formatEta(3725)), QStringLiteral("1:02:05"));
    QCOMPARE(QString::fromStdString(formatEta(65)), QStringLiteral("1:05"));
  }

  void bufferCopiesFoldResultsWithoutProbabilities() {
    EventBuffer buffer;
    train::FoldResult r;
    r.fold = 3;
    r.bestEpoch = 2;
    r.best.accuracy = 0.7;
    r.validationRows = {1, 2};
    r.validationProbabilities = {{0.1f, 0.9f}, {0.8f, 0.2f}};
    buffer.onFoldEnd(r);
    buffer.onMessage("hello");
    const auto events = buffer.drain();
    QCOMPARE(events.size(), std::size_t{2});
    const auto& end = std::get<FoldEndEvent>(events[0]);
    QCOMPARE(end.fold, 3);
    QVERIFY(end.hasValidation);
    QCOMPARE(end.best.accuracy, 0.7);
    QVERIFY(buffer.drain().empty());
  }

  void foldTableFillsInAndSummarises() {
    FoldTableModel model;
    QAbstractItemModelTester tester(&model);
    model.foldStarted(0);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, FoldTableModel::StatusColumn).data().toString(), QStringLiteral("training…"));
    FoldEndEvent a;
    a.fold = 0;
    a.bestEpoch = 3;
    a.best.accuracy = 0.6;
    a.best.microF1 = 0.5;
    a.bestTrainAccuracy = 0.9;
    a.hasValidation = true;
    a.checkpointPath = "/runs/x/fold-0/best.pt";
    model.foldEnded(a);
    QCOMPARE(model.rowCount(), 3);
    model.foldStarted(1);
    FoldEndEvent b = a;
    b.fold = 1;
    b.best.accuracy = 0.8;
    model.foldEnded(b);
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.index(2, FoldTableModel::ValAccColumn).data().toString(), QStringLiteral("0.7000"));  // mean
    QCOMPARE(model.index(3, FoldTableModel::ValAccColumn).data().toString(), QStringLiteral("0.1000"));  // std
    QCOMPARE(model.index(0, FoldTableModel::CheckpointColumn).data().toString(), QStringLiteral("fold-0/best.pt"));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
  }

  // With 5 or 10 folds the legend sits beside the plot, explains each colour and style once,
  // and is not cut off.
  void theLegendExplainsColoursOnceAndNeverCoversTheCurves() {
    for (const int folds : {5, 10}) {
      FoldChart chart("Accuracy per epoch", "accuracy");
      chart.setSeriesName(FoldChart::Series::Solid, "validation");
      chart.setSeriesName(FoldChart::Series::Dashed, "training");
      chart.resize(480, 300);
      chart.show();
      chart.setEpochs(4);
      for (int f = 0; f < folds; ++f)
        for (int e = 1; e <= 4; ++e) {
          chart.addPoint(f, FoldChart::Series::Dashed, e, 0.5 + 0.05 * e + 0.01 * f);
          chart.addPoint(f, FoldChart::Series::Solid, e, 0.45 + 0.05 * e + 0.01 * f);
        }
      chart.refresh();
      chart.replot();
      QStringList expected = {"validation", "training"};
      for (int f = 0; f < folds; ++f) expected << QString("fold %1").arg(f);
      QCOMPARE(chart.legendEntries(), expected);
      const QRect plot = chart.axisRect()->rect();
      const QRect legend = chart.legend->outerRect();
      QVERIFY2(!plot.intersects(legend), qPrintable(QString("%1 folds: legend over the plot").arg(folds)));
      QVERIFY(chart.rect().contains(legend));
      for (int i = 0; i < chart.legend->itemCount(); ++i)  // every entry drawn in full
        QVERIFY(legend.contains(chart.legend->item(i)->outerRect()));
      QVERIFY2(plot.width() > chart.width() / 2, qPrintable(QString("%1 folds: plot %2 px wide").arg(folds).arg(plot.width())));
    }
  }

  void chartsExportToPngAndSvg() {
    testing::TempDir dir;
    FoldChart chart("Accuracy", "accuracy");
    chart.resize(500, 300);
    chart.show();
    chart.setEpochs(3);
    chart.addPoint(0, FoldChart::Series::Solid, 1, 0.5);
    chart.addPoint(0, FoldChart::Series::Solid, 2, 0.6);
    chart.addPoint(0, FoldChart::Series::Dashed, 1, 0.7);
    chart.markBest(0, 2, 0.6);
    chart.refresh();
    QCOMPARE(chart.pointCount(0, FoldChart::Series::Solid), 2);
    QVERIFY(chart.hasBestMark(0));
    QCOMPARE(chart.xAxis->range().upper > 3.0, true);
    const QString png = QString::fromStdString(dir.file("a.png")), svg = QString::fromStdString(dir.file("a.svg"));
    QVERIFY(chart.exportTo(png));
    QVERIFY(chart.exportTo(svg));
    QFile svgFile(svg);
    QVERIFY(svgFile.open(QIODevice::ReadOnly));
    QVERIFY(svgFile.readAll().contains("<svg"));
    QVERIFY(QFileInfo(png).size() > 1000);
    chart.clearFolds();
    QCOMPARE(chart.pointCount(0, FoldChart::Series::Solid), 0);
  }
};

QTEST_MAIN(LivePartsTest)
#include "live_parts_test.moc"
