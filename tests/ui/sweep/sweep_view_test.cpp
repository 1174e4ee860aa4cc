// Sweeps in the window (issue 26): the trial table and the parallel-coordinates plot over a
// sweep written straight into a tracker (in-place updates checked by QAbstractItemModelTester,
// brushing on a log axis and a choice axis, clearing by a click), and a small real sweep
// started from the form's "Sweep this field…" on the sample data that fills the view while it
// runs, ends with every trial finished or pruned, and whose table a brush filters.
#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QContextMenuEvent>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QTableView>
#include <QTest>
#include <QTimer>
#include <algorithm>
#include <cmath>

#include "app_settings.h"
#include "compare/compare_view.h"
#include "detail/run_detail_view.h"
#include "shared/config_form.h"
#include "editor/experiment_editor.h"
#include "shared/field_editor.h"
#include "live/fold_table_model.h"
#include "live/live_view.h"
#include "foldbench/sweep/sweep_runner.h"
#include "foldbench/tracker/sweep_store.h"
#include "main_window.h"
#include "sweep/parallel_coordinates_plot.h"
#include "sweep/sweep_controller.h"
#include "sweep/sweep_reader.h"
#include "sweep/sweep_setup_dialog.h"
#include "sweep/sweep_view.h"
#include "sweep/trial_score_chart.h"
#include "sweep/trial_table_model.h"
#include "temp_dir.h"
#include "ui_test_support.h"

using namespace foldbench;
using namespace foldbench::ui;

namespace {

constexpr int kSweepTimeoutMs = 300000;

// The sample data with the n-gram family on 3 folds: a trial trains in a few seconds.
config::ExperimentConfig quickBase(const std::string& dir) {
  auto c = testing::sampleConfig(dir + "/runs");
  c.model.family = config::ModelFamily::Ngram;
  c.kfold.folds = 3;
  c.train.epochs = 2;
  c.train.minLr = 0.0;  // the schedule's floor must not exceed the smallest rate swept
  c.run.name = "quick";
  return c;
}

// A trial the test writes itself: claimed, its folds scored, ended with `status`.
void addTrial(tracker::SweepStore& store, std::int64_t sweep, const std::string& lr, const std::string& loss,
              const std::vector<double>& folds, tracker::TrialStatus status) {
  const auto t = store.claimTrial(sweep, 0, [&](const std::vector<tracker::TrialRecord>&, int) {
    tracker::TrialRecord r;
    r.params = {{"train.lr", lr}, {"train.loss", loss}};
    r.foldOrder = {0, 1, 2};
    return r;
  });
  for (std::size_t f = 0; f < folds.size(); ++f) store.recordFold(sweep, t->trial, {static_cast<int>(f), folds[f]});
  if (status != tracker::TrialStatus::Running) store.finishTrial(sweep, t->trial, status, status == tracker::TrialStatus::Pruned ? "worse than trial 1" : "");
}

// Right-clicks the label of `key` in the form and picks "Sweep this field…" from its menu.
bool sweepFromForm(MainWindow& window, const QString& key) {
  auto* form = window.editor()->form();
  QLabel* label = nullptr;
  for (auto* l : form->findChildren<QLabel*>())
    if (l->buddy() == form->editor(key)->input()) label = l;
  if (!label) return false;
  bool picked = false;
  QTimer::singleShot(50, [&] {
    auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
    if (!menu) return;
    for (auto* action : menu->actions())
      if (action->objectName() == "sweepField" && action->isEnabled()) {
        action->trigger();
        picked = true;
      }
    menu->close();
  });
  QContextMenuEvent event(QContextMenuEvent::Mouse, QPoint(4, 4), label->mapToGlobal(QPoint(4, 4)));
  QApplication::sendEvent(label, &event);
  return picked;
}

// Drags along `axis` of the plot from `from` to `to` (values of the axis).
void drag(ParallelCoordinatesPlot* plot, int axis, double from, double to) {
  const QPoint a = plot->pointOn(axis, from), b = plot->pointOn(axis, to);
  QTest::mousePress(plot, Qt::LeftButton, Qt::NoModifier, a);
  QTest::mouseMove(plot, (a + b) / 2);
  QTest::mouseMove(plot, b);
  QTest::mouseRelease(plot, Qt::LeftButton, Qt::NoModifier, b);
}

}  // namespace

class SweepViewTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { testing::isolateSettings(); }

  void theTableAndThePlotFollowTheTrackerAndBrushesFilter() {
    testing::TempDir dir;
    const auto db = dir.file("experiments.db");
    auto base = quickBase(dir.path());
    sweep::SweepSpec spec;
    spec.space = {sweep::parseDimension("train.lr=log:1e-4..1e-1"), sweep::parseDimension("train.loss=ce,focal")};
    spec.maxTrials = 10;
    sweep::createSweep(db, "written", spec, base);
    auto store = tracker::SweepStore::open(db);
    const auto id = store.findSweep("written")->id;
    addTrial(store, id, "0.001", "ce", {0.60, 0.62, 0.64}, tracker::TrialStatus::Finished);
    addTrial(store, id, "0.0002", "focal", {0.30, 0.32}, tracker::TrialStatus::Pruned);

    SweepView view(QString::fromStdString(db));
    QAbstractItemModelTester tester(view.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.resize(1100, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTRY_COMPARE_WITH_TIMEOUT(view.model()->rowCount(), 2, 10000);
    auto* model = view.model();
    QCOMPARE(model->columnCount(), 7);  // trial, status, lr, loss, folds, val acc, reason
    QCOMPARE(model->headerData(2, Qt::Horizontal).toString(), QStringLiteral("lr"));
    QCOMPARE(model->headerData(2, Qt::Horizontal, Qt::ToolTipRole).toString(), QStringLiteral("train.lr"));
    QCOMPARE(model->index(0, model->meanColumn()).data().toString(), QStringLiteral("0.6200 ± 0.0163"));
    QCOMPARE(model->index(1, model->statusColumn()).data().toString(), QStringLiteral("pruned"));
    QCOMPARE(model->index(1, model->foldsColumn()).data().toString(), QStringLiteral("2/3"));
    QCOMPARE(model->index(1, model->reasonColumn()).data().toString(), QStringLiteral("worse than trial 1"));
    QVERIFY(view.summaryText().contains("best: trial 1"));
    QCOMPARE(view.scoreChart()->finishedPoints(), 1);
    QCOMPARE(view.scoreChart()->prunedPoints(), 1);
    QCOMPARE(view.scoreChart()->incumbentSteps(), 2);  // trial 1's best carried to trial 2

    // A third trial while the view watches: its row appears in place, running.
    addTrial(store, id, "0.05", "focal", {0.5}, tracker::TrialStatus::Running);
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 3, 10000);
    QCOMPARE(model->index(2, model->statusColumn()).data().toString(), QStringLiteral("running"));
    QCOMPARE(model->index(2, model->foldsColumn()).data().toString(), QStringLiteral("1/3"));
    QCOMPARE(model->index(2, model->meanColumn()).data().toString(), QStringLiteral("0.5000"));  // one fold: no ± yet

    auto* plot = view.parallelPlot();
    QCOMPARE(plot->axisCount(), 3);  // lr, loss, score
    QVERIFY(plot->axis(0).kind == ParallelCoordinatesPlot::AxisKind::Log);
    QVERIFY(plot->axis(1).kind == ParallelCoordinatesPlot::AxisKind::Choice);
    QVERIFY(plot->axis(2).kind == ParallelCoordinatesPlot::AxisKind::Score);
    // Log axis: 1e-3 sits at a third of the way from 1e-4 to 1e-1.
    const QPoint low = plot->pointOn(0, 1e-4), high = plot->pointOn(0, 1e-1), mid = plot->pointOn(0, 1e-3);
    QVERIFY(std::abs((low.y() - mid.y()) * 3 - (low.y() - high.y())) <= 3);

    // Brushing the lr axis over 1e-4..5e-4 keeps trial 2 only.
    QCOMPARE(view.shownTrials(), 3);
    drag(plot, 0, 1e-4, 5e-4);
    QVERIFY(plot->isBrushed());
    QCOMPARE(view.shownTrials(), 1);
    QCOMPARE(view.proxy()->index(0, 0).data().toInt(), 2);
    // Adding a brush on the loss axis ("focal") keeps it; "ce" alone leaves nothing.
    drag(plot, 1, 0.8, 1.2);
    QCOMPARE(view.shownTrials(), 1);
    plot->setBrush(1, -0.2, 0.2);
    QCOMPARE(view.shownTrials(), 0);
    // A click on an axis clears its brush.
    QTest::mouseClick(plot, Qt::LeftButton, Qt::NoModifier, plot->pointOn(1, 0.5));
    QVERIFY(!plot->brush(1).has_value());
    QCOMPARE(view.shownTrials(), 1);
    QTest::mouseClick(plot, Qt::LeftButton, Qt::NoModifier, plot->pointOn(0, 1e-2));
    QVERIFY(!plot->isBrushed());
    QCOMPARE(view.shownTrials(), 3);

    // The best trial's config is the base with its parameters.
    const auto best = config::fromJson(view.bestTrialConfigJson().toStdString(), "best");
    QCOMPARE(best.train.learningRate, 0.001);
    QCOMPARE(best.model.family, config::ModelFamily::Ngram);
  }

  void aSmallSweepStartedFromTheFormFillsTheViewLiveAndBrushingFilters() {
    testing::TempDir dir;
    ui::settings::kDatabasePath.write(QString::fromStdString(dir.file("experiments.db")));
    MainWindow window;
    window.setResourceDirs(FOLDBENCH_SOURCE_DIR "/resources/sample", FOLDBENCH_SOURCE_DIR);
    auto base = quickBase(dir.path());
    base.train.threads = 2;
    window.editor()->setConfig(base, "sample");
    window.resize(1400, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY2_WITH_TIMEOUT(window.editor()->isValid(), qPrintable(window.editor()->problemsText()), 20000);

    // Right-click train.lr, Sweep this field…: the dialog opens with the declared range.
    QVERIFY(sweepFromForm(window, "train.lr"));
    auto* dialog = window.sweepDialog();
    QVERIFY(dialog);
    QCOMPARE(dialog->fields(), QStringList{"train.lr"});
    QCOMPARE(dialog->spec().space[0].low, 1e-8);
    QVERIFY(dialog->spec().space[0].log);
    // The same action on another field adds it to the sweep being set up.
    QVERIFY(sweepFromForm(window, "model.ngram_dim"));
    QCOMPARE(window.sweepDialog(), dialog);
    QCOMPARE(dialog->fields(), (QStringList{"train.lr", "model.ngram_dim"}));
    // A path cannot be swept: the action is there, disabled.
    QVERIFY(!sweepFromForm(window, "data.train_path"));

    dialog->setRange("train.lr", 1e-4, 0.05, true);
    dialog->setRange("model.ngram_dim", 16, 64, false);
    dialog->setSampler(sweep::SamplerKind::QuasiRandom);
    dialog->setBudget(3, 0);
    dialog->setRacing(sweep::RaceTest::TTest, 0.2);
    dialog->setName("from-the-form");
    QVERIFY2(dialog->problems().isEmpty(), qPrintable(dialog->problems().join('\n')));
    QVERIFY(dialog->startButton()->isEnabled());

    auto* view = window.sweepView();
    bool sawRowsWhileRunning = false, sawRunningTrial = false;
    connect(view, &SweepView::shown, this, [&] {
      if (!window.sweepController()->isRunning()) return;
      sawRowsWhileRunning |= view->model()->rowCount() > 0;
      for (const auto& t : view->snapshot().trials) sawRunningTrial |= t.status == tracker::TrialStatus::Running;
    });
    QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
    QVERIFY(window.sweepController()->isRunning());
    QTRY_VERIFY(!window.sweepDialog());  // closed (and deleted) once started
    QCOMPARE(window.tabs()->currentWidget(), view);
    QVERIFY(!window.startAction()->isEnabled());  // no run beside the sweep
    QVERIFY(window.stopAction()->isEnabled());
    QVERIFY(view->stopButton()->isEnabled());

    QTRY_VERIFY_WITH_TIMEOUT(!window.sweepController()->isRunning(), kSweepTimeoutMs);
    QVERIFY(sawRowsWhileRunning);
    QVERIFY(sawRunningTrial);
    QTRY_VERIFY_WITH_TIMEOUT(view->model()->rowCount() == 3 && std::all_of(view->snapshot().trials.begin(), view->snapshot().trials.end(), [](const auto& t) {
                               return t.status == tracker::TrialStatus::Finished || t.status == tracker::TrialStatus::Pruned;
                             }),
                             10000);
    QCOMPARE(view->snapshot().sweep.name, std::string("from-the-form"));
    for (int row = 0; row < 3; ++row) {
      const QString status = view->model()->index(row, view->model()->statusColumn()).data().toString();
      QVERIFY2(status == "finished" || status == "pruned", qPrintable(status));
      QVERIFY(!view->model()->index(row, view->model()->meanColumn()).data().toString().isEmpty());
    }
    QVERIFY(window.startAction()->isEnabled());
    QVERIFY(view->scoreChart()->finishedPoints() >= 1);
    // The Live tab followed the trials: the last one's folds are in its fold table.
    QVERIFY(window.liveView()->foldTable()->foldRows() >= 2);

    // Brushing the lr axis up to between the two smallest rates leaves the smallest one's trial.
    std::vector<std::pair<double, int>> rates;
    for (const auto& t : view->snapshot().trials) rates.push_back({std::stod(t.params[0].second), t.trial});
    std::sort(rates.begin(), rates.end());
    auto* plot = view->parallelPlot();
    QCOMPARE(plot->axisCount(), 3);
    QCOMPARE(view->shownTrials(), 3);
    drag(plot, 0, 1e-4, std::sqrt(rates[0].first * rates[1].first));
    QCOMPARE(view->shownTrials(), 1);
    QCOMPARE(view->proxy()->index(0, 0).data().toInt(), rates[0].second);
    QTest::mouseClick(plot, Qt::LeftButton, Qt::NoModifier, plot->pointOn(0, 1e-3));
    QCOMPARE(view->shownTrials(), 3);

    // A double-click opens a trial's run in the Run tab.
    const QModelIndex first = view->table()->model()->index(0, 0);
    const QPoint cell = view->table()->visualRect(first).center();
    QTest::mousePress(view->table()->viewport(), Qt::LeftButton, Qt::NoModifier, cell);
    QTest::mouseRelease(view->table()->viewport(), Qt::LeftButton, Qt::NoModifier, cell);
    QTest::mouseDClick(view->table()->viewport(), Qt::LeftButton, Qt::NoModifier, cell);
    QCOMPARE(window.tabs()->currentWidget(), window.runDetail());
    window.tabs()->setCurrentWidget(view);

    // The best trial goes to the editor; the top two to the Compare tab.
    QVERIFY(view->openBestButton()->isEnabled());
    QTest::mouseClick(view->openBestButton(), Qt::LeftButton);
    const auto* best = bestTrial(view->snapshot());
    QVERIFY(best);
    QCOMPARE(config::formatValue(window.editor()->config().train.learningRate), best->params[0].second);
    QVERIFY(view->compareButton()->isEnabled());
    view->compareTop(2);
    QCOMPARE(window.tabs()->currentWidget(), window.compareView());
    QTRY_VERIFY_WITH_TIMEOUT(window.compareView()->hasComparison(), 20000);
    QCOMPARE(window.compareView()->runIds().size(), 2);
  }

  void stopPutsTheTrialInHandBackToPending() {
    testing::TempDir dir;
    ui::settings::kDatabasePath.write(QString::fromStdString(dir.file("experiments.db")));
    MainWindow window;
    auto base = quickBase(dir.path());
    base.train.epochs = 40;
    window.editor()->setConfig(base, "sample");
    window.show();
    auto* dialog = window.sweepField("train.lr");
    dialog->setRange("train.lr", 1e-3, 1e-2, true);
    dialog->setBudget(2, 0);
    dialog->setName("stopped");
    QVERIFY(window.startSweep());
    auto* view = window.sweepView();
    QTRY_VERIFY_WITH_TIMEOUT(view->model()->rowCount() == 1 && view->stopButton()->isVisible(), 60000);
    QTest::mouseClick(view->stopButton(), Qt::LeftButton);
    QVERIFY(window.sweepController()->stopRequested());
    QTRY_VERIFY_WITH_TIMEOUT(!window.sweepController()->isRunning(), 60000);
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->index(0, view->model()->statusColumn()).data().toString(), QStringLiteral("pending"), 10000);
    QVERIFY(view->resumeButton()->isVisible() && view->resumeButton()->isEnabled());
  }
};

QTEST_MAIN(SweepViewTest)
#include "sweep_view_test.moc"
