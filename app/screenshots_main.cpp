// foldbench-screenshots OUTDIR: renders the workbench in the states a user sees (editor on the
// sample preset, an invalid field, the competition preset, the middle of a live run, a finished
// run) to PNG files. Where the competition data is at hand (../shared/data/klue-re-pstage), it
// also trains two short n-gram runs on it and shows their Errors tab (42 labels) and Compare tab.
// Run offscreen or under Xvfb: scripts/screenshots.sh.
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QMouseEvent>
#include <QScrollArea>
#include <QMessageBox>
#include <QProcess>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QThread>
#include <algorithm>
#include <cstdio>
#include <functional>

#include "app_settings.h"
#include "shared/config_form.h"
#include "editor/experiment_editor.h"
#include "shared/field_editor.h"
#include "editor/model_folder_view.h"
#include "live/training_controller.h"
#include "compare/compare_view.h"
#include "detail/examples_browser.h"
#include "export/export_dialog.h"
#include "detail/run_detail_view.h"
#include "detail/confusion_matrix_plot.h"
#include "detail/confusion_matrix_view.h"
#include "foldbench/platform/blas_kernels.h"
#include "main_window.h"
#include "runs/runs_table_model.h"
#include "runs/runs_view.h"
#include "sample_paths.h"
#include "sweep/parallel_coordinates_plot.h"
#include "sweep/sweep_controller.h"
#include "sweep/sweep_setup_dialog.h"
#include "sweep/sweep_view.h"
#include "sweep/trial_table_model.h"

namespace {

bool waitFor(const std::function<bool()>& done, int timeoutMs) {
  QElapsedTimer timer;
  timer.start();
  while (!done()) {
    if (timer.elapsed() > timeoutMs) return false;
    QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    QThread::msleep(10);
  }
  return true;
}

void settle(int ms) { waitFor([] { return false; }, ms); }

bool showBusiestCell(foldbench::ui::RunDetailView* detail);

bool save(QWidget& window, const QString& path) {
  settle(300);
  const bool ok = window.grab().save(path);
  std::printf("%s %s\n", ok ? "wrote" : "FAILED", qPrintable(path));
  return ok;
}

// The Runs, Run and Compare tabs over the runs in the window's tracker (two or more finished).
bool shootBrowsing(foldbench::ui::MainWindow& window, const QDir& out) {
  using namespace foldbench::ui;
  auto* runs = window.runsView();
  window.tabs()->setCurrentWidget(runs);
  bool ok = waitFor([&] { return runs->model()->rowCount() >= 2; }, 20000);
  runs->table()->selectRow(0);
  ok &= save(window, out.filePath("runs.png"));
  QList<qint64> finished;
  for (int row = 0; row < runs->model()->rowCount(); ++row)
    if (runs->model()->statusOf(row) == foldbench::RunStatus::Finished) finished.prepend(runs->model()->run(row).id);
  if (finished.size() < 2) return false;
  window.openRun(finished[0]);
  auto* detail = window.runDetail();
  ok &= waitFor([&] { return detail->hasRun() && detail->report().has_value(); }, 20000);
  ok &= save(window, out.filePath("run-folds.png"));
  detail->pages()->setCurrentIndex(1);
  ok &= save(window, out.filePath("run-curves.png"));
  detail->pages()->setCurrentIndex(2);
  // The busiest off-diagonal cell: what a user clicks first.
  ok &= showBusiestCell(detail);
  ok &= save(window, out.filePath("run-errors.png"));
  detail->pages()->setCurrentIndex(3);
  ok &= save(window, out.filePath("run-config.png"));
  window.compareRuns({finished[0], finished[1]});
  ok &= waitFor([&] { return window.compareView()->hasComparison(); }, 20000);
  ok &= save(window, out.filePath("compare.png"));

  // Pruning asks first, with the bytes it would free; the answer here is no.
  window.tabs()->setCurrentWidget(runs);
  bool asked = false;
  runs->confirm = [&](const QString& title, const QString& question) {
    QMessageBox box(QMessageBox::Question, title, question, QMessageBox::Yes | QMessageBox::No, &window);
    box.show();
    QApplication::processEvents();
    ok &= save(box, out.filePath("prune-confirm.png"));
    asked = true;
    return false;
  };
  runs->pruneRuns({finished[1]});
  ok &= waitFor([&] { return asked; }, 20000);

  // The export dialog after an export of both runs, weighted, with the constant fitted.
  auto* dialog = window.showExportDialog({finished[0], finished[1]});
  ok &= waitFor([&] { return dialog->hasReport(); }, 30000);
  dialog->setVote("weighted");
  dialog->setFitPrior(true);
  ok &= waitFor([&] { return dialog->report().fitted; }, 30000);
  QTemporaryDir exports;
  dialog->setOutputPath(exports.filePath("sample-ensemble.csv"));
  dialog->startExport();
  ok &= waitFor([&] { return !dialog->isExporting() && dialog->statusText().contains("Wrote"); }, 300000);
  ok &= save(*dialog, out.filePath("export-dialog.png"));
  dialog->close();
  return ok;
}

// Two cluster runs made with foldbench-cli, as a user would: one queued, one whose first fold
// task has run (running). Shown in the Runs tab beside the local runs.
bool shootCluster(foldbench::ui::MainWindow& window, const QDir& out, const QString& database, const QString& runs) {
  const QString cli = QCoreApplication::applicationDirPath() + "/foldbench-cli";
  const auto cliRun = [&](const QStringList& args) {
    QProcess p;
    p.start(cli, args);
    const bool done = p.waitForFinished(300000) && p.exitCode() == 0;
    if (!done) std::fprintf(stderr, "%s failed: %s\n", qPrintable(args.join(' ')), p.readAllStandardError().constData());
    return done ? QString::fromUtf8(p.readAllStandardOutput()) : QString();
  };
  const QStringList common = {"--preset", "sample", "--epochs", "2", "--db", database, "--out", runs, "--cpus", "2"};
  const QString queued = cliRun(QStringList{"cluster", "slurm", "--name", "cluster-queued"} + common);
  const QString started = cliRun(QStringList{"cluster", "slurm", "--name", "cluster-fold-0-done"} + common);
  const auto runDir = [](const QString& output) {
    for (const auto& line : output.split('\n'))
      if (line.startsWith("run_dir=")) return line.mid(8);
    return QString();
  };
  if (runDir(queued).isEmpty() || runDir(started).isEmpty()) return false;
  if (cliRun({"cluster", "fold", "--run", runDir(started), "--fold", "0", "--db", database}).isEmpty()) return false;
  auto* view = window.runsView();
  window.tabs()->setCurrentWidget(view);
  bool ok = waitFor([&] { return view->model()->rowCount() >= 4; }, 20000);
  view->table()->selectRow(0);
  ok &= save(window, out.filePath("runs-cluster.png"));
  return ok;
}

// Shows the Errors tab's busiest off-diagonal cell: scrolled into sight, its rows listed, the
// mouse over it (the read-out line names it).
bool showBusiestCell(foldbench::ui::RunDetailView* detail) {
  const auto& report = *detail->report();
  int gold = 0, predicted = 1;
  std::int64_t most = -1;
  for (std::size_t g = 0; g < report.confusion.size(); ++g)
    for (std::size_t p = 0; p < report.confusion.size(); ++p)
      if (g != p && report.confusion[g][p] > most) most = report.confusion[g][p], gold = int(g), predicted = int(p);
  detail->showCell(gold, predicted);
  auto* plot = detail->confusionMatrix();
  const QPoint center = plot->cellCenter(gold, predicted);
  // Scrolled only when the cell is out of sight, so the label names stay in view where they can.
  auto* scroll = detail->confusionMatrixView()->scrollArea();
  if (!scroll->viewport()->rect().contains(plot->mapTo(scroll->viewport(), center)))
    scroll->ensureVisible(center.x(), center.y(), 3 * plot->cellSize(), 3 * plot->cellSize());
  QMouseEvent hover(QEvent::MouseMove, QPointF(center), QPointF(plot->mapToGlobal(center)), Qt::NoButton, Qt::NoButton,
                    Qt::NoModifier);
  QApplication::sendEvent(plot, &hover);
  return waitFor([&] { return detail->examples()->shownRows() > 0; }, 20000);
}

// Two short n-gram runs on the competition data (42 labels, 8,005 rows; about a minute each on
// two cores): the Errors tab of one, and both compared.
bool shootCompetition(foldbench::ui::MainWindow& window, const QDir& out, const QString& runsDir) {
  const QString data = QDir::cleanPath(FOLDBENCH_SOURCE_DIR "/../shared/data/klue-re-pstage");
  if (!QFileInfo::exists(data + "/train.tsv")) {
    std::printf("SKIPPED run-errors-klue.png and compare-klue.png: no competition data in %s\n", qPrintable(data));
    return true;
  }
  auto* editor = window.editor();
  QList<qint64> ids;
  for (const double lr : {0.01, 0.003}) {
    editor->applyPreset("klue-re-scratch");
    editor->setFieldValues({{"data.train_path", (data + "/train.tsv").toStdString()},
                            {"data.test_path", (data + "/test.tsv").toStdString()},
                            {"data.labels_path", (data + "/labels.tsv").toStdString()},
                            {"train.epochs", std::int64_t{2}},
                            {"train.lr", lr},
                            {"run.name", std::string(lr > 0.005 ? "klue-ngram-2ep" : "klue-ngram-2ep-lr3e-3")},
                            {"run.output_dir", runsDir.toStdString()}});
    if (!waitFor([&] { return window.editor()->datasetSummaryText().contains("8,005") ||
                              window.editor()->datasetSummaryText().contains("8005"); }, 60000))
      std::fprintf(stderr, "the competition data check did not finish: %s\n", qPrintable(window.editor()->datasetSummaryText()));
    if (!window.startRun()) return false;
    if (!waitFor([&] { return !window.controller()->isRunning(); }, 900000)) return false;
  }
  auto* runs = window.runsView();
  if (!waitFor([&] {
        ids.clear();
        for (int row = 0; row < runs->model()->rowCount(); ++row)
          if (QString::fromStdString(runs->model()->run(row).info.name).startsWith("klue-ngram") &&
              runs->model()->statusOf(row) == foldbench::RunStatus::Finished)
            ids.prepend(runs->model()->run(row).id);
        return ids.size() == 2;
      }, 20000))
    return false;
  std::sort(ids.begin(), ids.end());
  window.openRun(ids[0]);
  auto* detail = window.runDetail();
  bool ok = waitFor([&] { return detail->hasRun() && detail->runId() == ids[0] && detail->report().has_value(); }, 60000);
  detail->pages()->setCurrentIndex(2);
  settle(200);
  ok &= showBusiestCell(detail);
  ok &= save(window, out.filePath("run-errors-klue.png"));
  window.compareRuns({ids[0], ids[1]});
  ok &= waitFor([&] { return window.compareView()->hasComparison(); }, 60000);
  ok &= save(window, out.filePath("compare-klue.png"));
  return ok;
}

// Issue 25: the klue-re-mbert preset with a tiny generated model folder (2 layers x 32 hidden):
// the model-folder picker's facts and estimate before Start, then a 2-fold fine-tune (a few
// seconds), shot mid-run and finished.
bool shootPretrained(foldbench::ui::MainWindow& window, const QDir& out, const QString& runsDir) {
  auto* editor = window.editor();
  const std::string sample = foldbench::app::sampleDataDir() + "/";
  editor->applyPreset("klue-re-mbert");
  editor->setFieldValues({{"data.train_path", sample + "train.tsv"},
                          {"data.test_path", sample + "test.tsv"},
                          {"data.labels_path", sample + "labels.tsv"},
                          {"model.pretrained_path", std::string(FOLDBENCH_SOURCE_DIR "/tests/fixtures/pretrained/models/bert-wordpiece")},
                          {"run.name", std::string("mbert-tiny-fixture")},
                          {"run.output_dir", runsDir.toStdString()}});
  if (QWidget* focused = QApplication::focusWidget()) focused->clearFocus();
  bool ok = waitFor([&] { return editor->modelFolderView()->estimateText().contains("per epoch"); }, 30000);
  // The picker sits in the Model section: scroll it into view.
  if (auto* scroll = editor->findChild<QScrollArea*>()) {
    scroll->ensureWidgetVisible(editor->form()->editor("model.family"), 0, 4);
    settle(100);
  }
  ok &= save(window, out.filePath("editor-pretrained.png"));
  // Settings that learn in a few seconds (tests/core/pretrained/fine_tune_test.cpp).
  editor->setFieldValues({{"model.pooling", std::string("entity")},
                          {"input.format", std::string("punct")},
                          {"input.max_len", std::int64_t{40}},
                          {"kfold.folds", std::int64_t{2}},
                          {"train.epochs", std::int64_t{12}},
                          {"train.lr", 5e-3},
                          {"train.log_every_steps", std::int64_t{2}}});
  ok &= waitFor([&] { return window.startAction()->isEnabled(); }, 30000);
  ok &= window.startRun();
  const auto& progress = window.controller()->progress();
  ok &= waitFor([&] { return progress.foldsDone() >= 1 && progress.epoch() >= 6; }, 600000);
  ok &= save(window, out.filePath("live-pretrained-training.png"));
  ok &= waitFor([&] { return !window.controller()->isRunning(); }, 600000);
  ok &= save(window, out.filePath("live-pretrained.png"));
  return ok;
}

// Issue 26: a 12-trial sweep of the n-gram family on the sample data (3 folds x 4 epochs, about
// two minutes on two cores): the sweep dialog as "Sweep this field…" opens it, the Sweep tab
// mid-sweep and finished, and a range brushed on the score axis.
bool shootSweep(foldbench::ui::MainWindow& window, const QDir& out, const QString& runsDir) {
  using namespace foldbench;
  auto* editor = window.editor();
  editor->applyPreset("sample");
  editor->setFieldValues({{"model.family", std::string("ngram")},
                          {"kfold.folds", std::int64_t{3}},
                          {"train.epochs", std::int64_t{4}},
                          {"train.min_lr", 0.0},
                          {"run.name", std::string("sample-ngram")},
                          {"run.output_dir", runsDir.toStdString()}});
  if (QWidget* focused = QApplication::focusWidget()) focused->clearFocus();
  bool ok = waitFor([&] { return editor->isValid(); }, 30000);
  auto* dialog = window.sweepField("train.lr");
  for (const char* key : {"model.ngram_dim", "model.head_dropout", "train.loss"}) window.sweepField(key);
  dialog->setRange("train.lr", 1e-4, 0.1, true);
  dialog->setRange("model.ngram_dim", 16, 256, false);
  dialog->setRange("model.head_dropout", 0.0, 0.5, false);
  dialog->setChoices("train.loss", {"ce", "focal"});
  dialog->setSampler(sweep::SamplerKind::Tpe);
  dialog->setBudget(12, 0);
  dialog->setRacing(sweep::RaceTest::TTest, 0.1);
  dialog->setName("sample-ngram-sweep");
  dialog->adjustSize();
  ok &= save(*dialog, out.filePath("sweep-dialog.png"));
  if (!window.startSweep()) return false;
  auto* view = window.sweepView();
  const auto count = [&](tracker::TrialStatus status) {
    return std::count_if(view->snapshot().trials.begin(), view->snapshot().trials.end(),
                         [&](const auto& t) { return t.status == status; });
  };
  // Mid-sweep: several trials done, some pruned, one training with a fold or two scored.
  ok &= waitFor([&] {
    return view->model()->rowCount() >= 7 && count(tracker::TrialStatus::Running) == 1 &&
           std::any_of(view->snapshot().trials.begin(), view->snapshot().trials.end(), [](const auto& t) {
             return t.status == tracker::TrialStatus::Running && !t.scores.empty();
           });
  }, 900000);
  ok &= save(window, out.filePath("sweep-running.png"));
  ok &= waitFor([&] { return !window.sweepController()->isRunning(); }, 900000);
  ok &= waitFor([&] { return count(tracker::TrialStatus::Running) == 0 && view->model()->rowCount() == 12; }, 20000);
  ok &= save(window, out.filePath("sweep-finished.png"));
  // The better half of the scores brushed: the table keeps their trials.
  auto* plot = view->parallelPlot();
  const auto& score = plot->axis(plot->axisCount() - 1);
  plot->setBrush(plot->axisCount() - 1, score.low + 0.55 * (score.high - score.low), score.high);
  ok &= save(window, out.filePath("sweep-brushed.png"));
  plot->clearBrushes();
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  foldbench::platform::chooseBlasKernels(argc, argv);
  QApplication app(argc, argv);
  QApplication::setOrganizationName("FoldbenchScreenshots");
  QApplication::setApplicationName("FoldbenchScreenshots");
  QSettings().clear();
  if (argc < 2) {
    std::fprintf(stderr, "usage: foldbench-screenshots OUTDIR\n");
    return 2;
  }
  const QDir out(argv[1]);
  QDir().mkpath(out.path());
  QTemporaryDir scratch;
  // FOLDBENCH_SCREENSHOT_DB: only the browsing tabs, over an existing tracker (quick to iterate).
  const QString existing = qEnvironmentVariable("FOLDBENCH_SCREENSHOT_DB");
  foldbench::ui::settings::kDatabasePath.write(existing.isEmpty() ? scratch.filePath("experiments.db") : existing);

  foldbench::ui::MainWindow window;
  window.setResourceDirs(QString::fromStdString(foldbench::app::sampleDataDir()), FOLDBENCH_SOURCE_DIR);
  // The sample preset, its runs in the scratch folder: where the window starts, and what it trains.
  const auto useSample = [&] {
    window.editor()->applyPreset("sample");
    window.editor()->setFieldValue("run.output_dir", scratch.filePath("runs").toStdString());
  };
  useSample();
  window.resize(1440, 900);
  window.show();
  if (!existing.isEmpty()) return shootBrowsing(window, out) ? 0 : 1;
  // FOLDBENCH_SCREENSHOT_ONLY=competition: only the competition runs (train two, shoot two).
  if (qEnvironmentVariable("FOLDBENCH_SCREENSHOT_ONLY") == "competition")
    return shootCompetition(window, out, scratch.filePath("runs")) ? 0 : 1;
  // FOLDBENCH_SCREENSHOT_ONLY=sweep: only the sweep dialog and the Sweep tab (issue 26).
  if (qEnvironmentVariable("FOLDBENCH_SCREENSHOT_ONLY") == "sweep")
    return shootSweep(window, out, scratch.filePath("runs")) ? 0 : 1;
  // FOLDBENCH_SCREENSHOT_ONLY=pretrained: only the tiny pretrained model's picker and run.
  if (qEnvironmentVariable("FOLDBENCH_SCREENSHOT_ONLY") == "pretrained")
    return shootPretrained(window, out, scratch.filePath("runs")) ? 0 : 1;
  bool ok = waitFor([&] { return window.editor()->datasetSummaryText().contains("rows"); }, 20000);
  ok &= save(window, out.filePath("editor.png"));

  auto* hidden = qobject_cast<QSpinBox*>(window.editor()->form()->editor("model.hidden")->input());
  hidden->setValue(130);
  window.editor()->form()->editor("model.hidden")->input()->setFocus();
  ok &= save(window, out.filePath("editor-invalid.png"));
  window.editor()->undoStack()->undo();

  // The competition preset: the n-gram family's fields, the context part among them.
  // Its data is the shared competition set; without it the summary shows the missing file.
  window.editor()->applyPreset("klue-re-best");
  if (QWidget* focused = QApplication::focusWidget()) focused->clearFocus();  // no selected field text
  waitFor([&] {
    const QString summary = window.editor()->datasetSummaryText();
    return !summary.contains("480 rows") && !summary.startsWith("Checking");
  }, 20000);
  ok &= save(window, out.filePath("editor-ngram.png"));
  useSample();
  ok &= waitFor([&] { return window.editor()->datasetSummaryText().contains("480 rows"); }, 20000);

  ok &= window.startRun();
  const auto& progress = window.controller()->progress();
  ok &= waitFor([&] { return progress.foldsDone() >= 2 && progress.epoch() >= 8; }, 600000);
  ok &= save(window, out.filePath("live-training.png"));
  ok &= waitFor([&] { return !window.controller()->isRunning(); }, 900000);
  ok &= save(window, out.filePath("live-finished.png"));

  // A second run with another learning rate, so there is something to compare.
  window.editor()->setFieldValue("train.lr", 0.003);
  window.editor()->setFieldValue("run.name", std::string("sample-lr-3e-3"));
  ok &= window.startRun();
  ok &= waitFor([&] { return !window.controller()->isRunning(); }, 900000);
  ok &= shootBrowsing(window, out);
  ok &= shootCluster(window, out, scratch.filePath("experiments.db"), scratch.filePath("runs"));
  ok &= shootCompetition(window, out, scratch.filePath("runs"));
  ok &= shootPretrained(window, out, scratch.filePath("runs"));
  ok &= shootSweep(window, out, scratch.filePath("runs"));
  return ok ? 0 : 1;
}
