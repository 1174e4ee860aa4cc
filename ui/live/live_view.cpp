#include "live/live_view.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "shared/fold_chart.h"
#include "live/fold_table_model.h"

namespace foldbench::ui {

LiveView::LiveView(QWidget* parent)
    : QWidget(parent),
      accuracy_(new FoldChart(tr("Accuracy"), tr("accuracy"))),
      loss_(new FoldChart(tr("Loss"), tr("loss"))),
      learningRate_(new FoldChart(tr("Learning rate"), tr("lr"))),
      speed_(new FoldChart(tr("Throughput"), tr("examples/s"))),
      table_(new FoldTableModel(this)),
      tableView_(new QTableView) {
  accuracy_->setObjectName("accuracyChart");
  loss_->setObjectName("lossChart");
  learningRate_->setObjectName("learningRateChart");
  speed_->setObjectName("speedChart");
  accuracy_->setValueBounds(0.0, 1.0);
  accuracy_->setSeriesName(FoldChart::Series::Solid, tr("val"));
  accuracy_->setSeriesName(FoldChart::Series::Dashed, tr("train"));
  loss_->setSeriesName(FoldChart::Series::Solid, tr("val"));
  loss_->setSeriesName(FoldChart::Series::Thin, tr("train"));
  loss_->setValueBounds(0.0, 1e9);
  speed_->setValueBounds(0.0, 1e12);
  accuracy_->setToolTip(tr("Solid: validation; dashed: training; diamond: the kept (best) epoch"));
  loss_->setToolTip(tr("Solid: validation loss per evaluation; thin: training loss as logged"));

  auto* charts = new QWidget;
  auto* grid = new QGridLayout(charts);
  grid->setContentsMargins(0, 0, 0, 0);
  grid->setSpacing(4);
  grid->addWidget(accuracy_, 0, 0);
  grid->addWidget(loss_, 0, 1);
  grid->addWidget(learningRate_, 1, 0);
  grid->addWidget(speed_, 1, 1);
  grid->setRowStretch(0, 3);
  grid->setRowStretch(1, 2);

  tableView_->setObjectName("foldTable");
  tableView_->setModel(table_);
  tableView_->verticalHeader()->hide();
  tableView_->horizontalHeader()->setStretchLastSection(true);
  tableView_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  tableView_->setSelectionBehavior(QAbstractItemView::SelectRows);
  tableView_->setAlternatingRowColors(true);
  tableView_->setMinimumHeight(tableView_->verticalHeader()->defaultSectionSize() * 5);

  auto* split = new QSplitter(Qt::Vertical);
  split->addWidget(charts);
  split->addWidget(tableView_);
  split->setStretchFactor(0, 5);
  split->setStretchFactor(1, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(split);
  repaintTimer_.setSingleShot(true);
  connect(&repaintTimer_, &QTimer::timeout, this, &LiveView::repaintNow);
}

void LiveView::beginRun(int epochs) {
  epochs_ = std::max(1, epochs);
  for (auto* c : {accuracy_, loss_, learningRate_, speed_}) {
    c->setEpochs(epochs_);
    c->clearFolds();
  }
  table_->clear();
  lastTotalSteps_ = 0;
}

double LiveView::stepToEpoch(long step, long totalSteps) const {
  if (totalSteps <= 0) return 0.0;
  return static_cast<double>(step) * epochs_ / static_cast<double>(totalSteps);
}

void LiveView::apply(const LiveEvents& events) {
  using Series = FoldChart::Series;
  for (const auto& event : events)
    std::visit(Overloaded{
                   [&](const FoldStartEvent& e) { table_->foldStarted(e.fold); },
                   [&](const train::StepEvent& e) {
                     lastTotalSteps_ = e.totalSteps;
                     const double x = stepToEpoch(e.step, e.totalSteps);
                     loss_->addPoint(e.fold, Series::Thin, x, e.loss);
                     learningRate_->addPoint(e.fold, Series::Solid, x, e.learningRate);
                     speed_->addPoint(e.fold, Series::Solid, x, e.examplesPerSecond);
                   },
                   [&](const train::EpochEvent& e) {
                     // A mid-epoch evaluation (no epoch time yet) sits at its step's place on the epoch axis.
                     const double x = e.seconds > 0 || lastTotalSteps_ <= 0 ? e.epoch : stepToEpoch(e.step, lastTotalSteps_);
                     accuracy_->addPoint(e.fold, Series::Dashed, x, e.trainAccuracy);
                     if (e.hasValidation) {
                       accuracy_->addPoint(e.fold, Series::Solid, x, e.validation.accuracy);
                       loss_->addPoint(e.fold, Series::Solid, x, e.validation.loss);
                       if (e.improved) accuracy_->markBest(e.fold, x, e.validation.accuracy);
                     } else if (e.improved) {
                       accuracy_->markBest(e.fold, x, e.trainAccuracy);
                     }
                   },
                   [&](const FoldEndEvent& e) { table_->foldEnded(e); },
                   [&](const auto&) {},
               },
               event);
  refreshCharts();
}

void LiveView::refreshCharts() {
  // Repainting four charts costs the training thread CPU time on a small machine: new points
  // are taken in at every drain, but the charts repaint at most every kRepaintIntervalMs.
  const qint64 since = sinceRepaint_.isValid() ? sinceRepaint_.elapsed() : kRepaintIntervalMs;
  if (since < kRepaintIntervalMs) {
    if (!repaintTimer_.isActive()) repaintTimer_.start(static_cast<int>(kRepaintIntervalMs - since));
    return;
  }
  repaintNow();
}

void LiveView::repaintNow() {
  repaintTimer_.stop();
  sinceRepaint_.start();
  for (auto* c : {accuracy_, loss_, learningRate_, speed_}) c->refresh();
}

}  // namespace foldbench::ui
