// foldbench-bench-runs: the Runs tab on a big tracker. Writes 10,000 runs (every parameter of
// a real config, the summary fields, some tags) and reports
//  - the store read behind one listing (off the GUI thread), and the GUI-thread time of
//    filling the table, of refreshing it unchanged, of sorting it and of applying a filter
//    (target: each under 50 ms, so no visible pause);
//  - the longest GUI-thread stall while a separate foldbench-cli process trains a run into
//    the same file, with the Runs tab and that run's detail view open (target: under 50 ms),
//    measured by a 5 ms timer.
// Run offscreen or under Xvfb: QT_QPA_PLATFORM=offscreen build/bin/foldbench-bench-runs
#include <QApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <cstdio>

#include "foldbench/platform/blas_kernels.h"
#include "detail/run_detail_view.h"
#include "foldbench/config/experiment_config.h"
#include "foldbench/recording/run_recorder.h"
#include "foldbench/tracker/run_store.h"
#include "runs/runs_table_model.h"
#include "runs/runs_view.h"
#include "tracker/tracker_reader.h"

using namespace foldbench;

namespace {

double ms(const QElapsedTimer& t) { return static_cast<double>(t.nsecsElapsed()) / 1e6; }

void writeRuns(const std::string& path, int count) {
  auto store = tracker::RunStore::open(path);
  auto config = config::preset("sample");
  for (int i = 0; i < count; ++i) {
    config.train.learningRate = 1e-4 * (1 + i % 30);
    config.model.family = i % 4 ? config::ModelFamily::Transformer : config::ModelFamily::Ngram;
    config.run.name = "bench-" + std::to_string(i);
    tracker::RunInfo info;
    info.uid = "20261129-" + std::to_string(100000 + i);
    info.name = config.run.name;
    info.status = i % 50 ? RunStatus::Finished : RunStatus::Stopped;
    info.createdAt = 1.79e9 + i * 60.0;
    info.finishedAt = info.createdAt + 40 + i % 300;
    info.host = "bench-host";
    info.configJson = config::toJson(config);
    const auto id = store.createRun(info, recording::flattenConfig(info.configJson));
    const double acc = 0.4 + (i * 7919 % 1000) / 2000.0;
    store.setFields(id, {{"cv/val/acc/mean", acc, ""}, {"cv/val/acc/std", 0.01 + (i % 7) / 1000.0, ""},
                         {"cv/val/micro_f1/mean", acc - 0.05, ""}, {"cv/val/micro_f1/std", 0.02, ""},
                         {"cv/oof/acc", acc + 0.001, ""}});
    store.finishRun(id, info.status, "", info.finishedAt);
    if (i % 10 == 0) store.addTags(id, {"sweep", i % 20 ? "lr" : "baseline"});
  }
}

}  // namespace

int main(int argc, char** argv) {
  foldbench::platform::chooseBlasKernels(argc, argv);  // may restart the process
  QApplication app(argc, argv);
  QApplication::setOrganizationName("FoldbenchBench");
  QApplication::setApplicationName("FoldbenchBench");
  QSettings().clear();
  QTemporaryDir scratch;
  const std::string path = scratch.filePath("experiments.db").toStdString();
  const int count = 10000;
  QElapsedTimer t;
  t.start();
  writeRuns(path, count);
  std::printf("wrote %d runs in %.1f s\n", count, ms(t) / 1000.0);

  // The pieces, measured directly (best of 3).
  ui::RunsTableModel model;
  QSortFilterProxyModel proxy;
  proxy.setSourceModel(&model);
  proxy.setSortRole(ui::RunsTableModel::SortRole);
  QTableView table;
  table.setModel(&proxy);
  table.setSortingEnabled(true);
  table.resize(1200, 700);
  const auto reader = tracker::RunStore::open(path, tracker::RunStore::Access::ReadOnly);
  double readMs = 1e9, fillMs = 1e9, refreshMs = 1e9, sortMs = 1e9, filterReadMs = 1e9, filterApplyMs = 1e9;
  const int accColumn = model.columns().indexOf("cv/val/acc/mean");
  for (int round = 0; round < 3; ++round) {
    model.setRuns({}, 0.0);
    t.restart();
    auto rows = reader.listRuns(model.query(""));
    readMs = std::min(readMs, ms(t));
    const auto copy = rows;
    t.restart();
    model.setRuns(std::move(rows), tracker::nowSeconds());
    fillMs = std::min(fillMs, ms(t));
    t.restart();
    model.setRuns(copy, tracker::nowSeconds());
    refreshMs = std::min(refreshMs, ms(t));
    t.restart();
    table.sortByColumn(accColumn, round % 2 ? Qt::AscendingOrder : Qt::DescendingOrder);
    sortMs = std::min(sortMs, ms(t));
    t.restart();
    auto filtered = reader.listRuns(model.query("cv/val/acc/mean > 0.6 and params.model.family = transformer"));
    filterReadMs = std::min(filterReadMs, ms(t));
    t.restart();
    model.setRuns(std::move(filtered), tracker::nowSeconds());
    filterApplyMs = std::min(filterApplyMs, ms(t));
  }
  std::printf("\n10,000 runs (%d after the filter)\n", model.rowCount());
  std::printf("  store read of one listing (store thread)  %7.1f ms\n", readMs);
  std::printf("  GUI: fill the table                       %7.1f ms  (%.2f of a 50 ms budget)\n", fillMs, fillMs / 50.0);
  std::printf("  GUI: refresh, nothing changed             %7.1f ms  (%.2f)\n", refreshMs, refreshMs / 50.0);
  std::printf("  GUI: sort by validation accuracy          %7.1f ms  (%.2f)\n", sortMs, sortMs / 50.0);
  std::printf("  store read of a filtered listing          %7.1f ms\n", filterReadMs);
  std::printf("  GUI: apply the filtered rows              %7.1f ms  (%.2f)\n", filterApplyMs, filterApplyMs / 50.0);

  // The whole tab while another process trains into the same file.
  ui::TrackerReader store(QString::fromStdString(path));
  ui::RunsView view(&store);
  ui::RunDetailView detail(&store);
  view.resize(1200, 700);
  view.show();
  detail.show();
  QElapsedTimer sinceTick;
  double worstStall = 0.0;
  QTimer probe;
  probe.setInterval(5);
  QObject::connect(&probe, &QTimer::timeout, [&] {
    if (sinceTick.isValid()) worstStall = std::max(worstStall, ms(sinceTick) - 5.0);
    sinceTick.restart();
  });
  QTemporaryDir runs;
  auto config = config::preset("sample");
  const std::string sample = FOLDBENCH_SOURCE_DIR "/resources/sample/";
  config.data.trainPath = sample + "train.tsv";
  config.data.labelsPath = sample + "labels.tsv";
  config.data.testPath = sample + "test.tsv";
  config.run.outputDir = runs.filePath("runs").toStdString();
  config.run.name = "live";
  config.train.epochs = 6;
  config::saveConfig(config, runs.filePath("live.json").toStdString());
  QProcess cli;
  cli.setProcessChannelMode(QProcess::ForwardedErrorChannel);
  int listingsDuringRun = 0;
  qint64 opened = 0;
  QObject::connect(&view, &ui::RunsView::listed, [&] {
    ++listingsDuringRun;
    if (opened) return;
    for (int row = 0; row < view.model()->rowCount(); ++row)
      if (view.model()->run(row).info.name == "live") {
        opened = view.model()->run(row).id;
        detail.showRun(opened);
      }
  });
  QEventLoop idle;
  QTimer::singleShot(2000, &idle, &QEventLoop::quit);  // the first listing of 10,000 runs
  idle.exec();
  listingsDuringRun = 0;
  worstStall = 0.0;
  sinceTick.invalidate();
  probe.start();
  QObject::connect(&cli, &QProcess::finished, &idle, &QEventLoop::quit);
  t.restart();
  cli.start(FOLDBENCH_CLI, {"train", "--config", runs.filePath("live.json"), "--db", QString::fromStdString(path)});
  idle.exec();
  QTimer::singleShot(1500, &idle, &QEventLoop::quit);  // the last change reaches the views
  idle.exec();
  probe.stop();
  std::printf("\nwhile foldbench-cli trained a run into the file (%.0f s, exit %d)\n", ms(t) / 1000.0, cli.exitCode());
  std::printf("  Runs tab reads (only touched runs, after a full first read): %d; detail loads of the live run: %d (%s)\n",
              listingsDuringRun,
              detail.loadCount(), opened ? "opened" : "NOT FOUND");
  std::printf("  longest GUI-thread stall                  %7.1f ms  (%.2f of the 50 ms target)\n", worstStall,
              worstStall / 50.0);
  return cli.exitCode() == 0 && opened ? 0 : 1;
}
