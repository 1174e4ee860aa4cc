// The workbench window on the bundled sample data, in a real (offscreen) window.
#include <QAbstractItemModelTester>
#include <QTest>

#include "editor/dataset_panel.h"
#include "editor/label_histogram_plot.h"
#include "main_window.h"
#include "editor/diagnostics_model.h"
#include "editor/label_histogram_model.h"
#include "temp_dir.h"

using foldbench::ui::MainWindow;

class MainWindowTest : public QObject {
  Q_OBJECT
 private slots:
  void showsTheSampleDatasetSummary() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const QString dir = FOLDBENCH_SOURCE_DIR "/resources/sample/";
    QVERIFY(window.openDataset(dir + "train.tsv", dir + "labels.tsv"));
    auto* panel = window.datasetPanel();
    QAbstractItemModelTester histogramTester(const_cast<foldbench::ui::LabelHistogramModel*>(panel->histogramModel()));
    QAbstractItemModelTester diagnosticsTester(const_cast<foldbench::ui::DiagnosticsModel*>(panel->diagnosticsModel()));
    QCOMPARE(panel->histogramModel()->rowCount(), 8);
    QCOMPARE(panel->histogramPlot()->barCount(), 8);
    QVERIFY2(panel->summaryText().contains("480 rows"), qPrintable(panel->summaryText()));
    QVERIFY(panel->summaryText().contains("3 offsets repaired"));
    QCOMPARE(panel->diagnosticsModel()->problemRows(), 0);
    QCOMPARE(panel->diagnosticsModel()->rowCount(), 3);  // the three repairs
    const auto first = panel->histogramModel()->index(0, foldbench::ui::LabelHistogramModel::LabelColumn);
    QCOMPARE(first.data().toString(), QStringLiteral("관계_없음"));
    QVERIFY(window.windowTitle().contains("train.tsv"));
  }

  void showsProblemsOfABadFileWithoutCrashing() {
    foldbench::testing::TempDir dir;
    const auto path = dir.write("bad.tsv", "a\tsentence\tx\tone\t0\ty\t1\t1\tlabel\nb\ttoo few\n");
    MainWindow window;
    window.show();
    QVERIFY(!window.openDataset(QString::fromStdString(path)));
    auto* panel = window.datasetPanel();
    QVERIFY(panel->summaryText().contains("Not usable"));
    QCOMPARE(panel->diagnosticsModel()->problemRows(), 2);
    const auto field = panel->diagnosticsModel()->index(0, foldbench::ui::DiagnosticsModel::FieldColumn);
    QCOMPARE(field.data().toString(), QStringLiteral("subject_start"));
  }
};

QTEST_MAIN(MainWindowTest)
#include "main_window_test.moc"
