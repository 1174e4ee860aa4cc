#include "sweep/trial_score_chart.h"

#include <algorithm>
#include <cmath>

#include "sweep/parallel_coordinates_plot.h"
#include "sweep/trial_table_model.h"

namespace foldbench::ui {

TrialScoreChart::TrialScoreChart(QWidget* parent) : QCustomPlot(parent) {
  plotLayout()->insertRow(0);
  plotLayout()->addElement(0, 0, new QCPTextElement(this, tr("Score by trial"), QFont(font().family(), font().pointSize(), QFont::Bold)));
  xAxis->setLabel(tr("trial"));
  yAxis->setLabel(tr("mean val acc"));
  QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
  ticker->setTickStep(1.0);
  ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
  xAxis->setTicker(ticker);

  const auto scatter = [this](const QString& name, QCPScatterStyle style) {
    auto* g = addGraph();
    g->setName(name);
    g->setLineStyle(QCPGraph::lsNone);
    g->setScatterStyle(style);
    return g;
  };
  best_ = addGraph();
  best_->setName(tr("best so far"));
  best_->setLineStyle(QCPGraph::lsStepLeft);
  best_->setPen(QPen(QColor(0x2c, 0xa0, 0x2c), 2.0));
  bestMark_ = scatter(tr("incumbent"), QCPScatterStyle(QCPScatterStyle::ssStar, QPen(QColor(0x2c, 0xa0, 0x2c), 1.8), Qt::NoBrush, 16));
  finished_ = scatter(tr("finished"), QCPScatterStyle(QCPScatterStyle::ssDisc, QPen(scoreRamp(0.8), 1.0), scoreRamp(0.8), 8));
  pruned_ = scatter(tr("pruned (partial mean)"), QCPScatterStyle(QCPScatterStyle::ssCross, QPen(QColor(0x8a, 0x8a, 0x8a), 1.6), Qt::NoBrush, 8));
  running_ = scatter(tr("training (partial)"), QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(trialStatusColor(tracker::TrialStatus::Running), 1.6), Qt::NoBrush, 8));

  addLayer(QStringLiteral("marks"), layer(QStringLiteral("main")), limAbove);
  bestMark_->setLayer(QStringLiteral("marks"));  // the star over the point it marks

  // The legend in two columns under the plot, never over the points.
  legend->setVisible(false);  // shown with the first point
  legend->setIconSize(16, 10);
  legend->setWrap(2);
  legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
  axisRect()->insetLayout()->take(legend);
  plotLayout()->addElement(2, 0, legend);
  plotLayout()->setRowStretchFactor(2, 0.001);
  legend->setMargins(QMargins(4, 0, 4, 2));
  legend->setBorderPen(Qt::NoPen);
  legend->setBrush(Qt::NoBrush);
  xAxis->setRange(0.5, 5.5);
  yAxis->setRange(0, 1);
  setMinimumSize(300, 200);
}

void TrialScoreChart::setSnapshot(const SweepSnapshot& snapshot) {
  QVector<double> fx, fy, px, py, rx, ry, bx, by;
  double best = -1.0, lo = 1.0, hi = 0.0;
  int bestTrialNumber = 0, last = 0;
  for (const auto& t : snapshot.trials) {
    last = std::max(last, t.trial);
    const bool complete = snapshot.folds == 0 || static_cast<int>(t.scores.size()) >= snapshot.folds;
    if (!t.scores.empty()) {
      lo = std::min(lo, t.mean);
      hi = std::max(hi, t.mean);
      switch (t.status) {
        case tracker::TrialStatus::Finished: fx << t.trial, fy << t.mean; break;
        case tracker::TrialStatus::Pruned:
        case tracker::TrialStatus::Failed: px << t.trial, py << t.mean; break;
        default: rx << t.trial, ry << t.mean; break;
      }
    }
    if (t.status == tracker::TrialStatus::Finished && complete && t.mean > best) {
      best = t.mean;
      bestTrialNumber = t.trial;
    }
    if (best >= 0.0) bx << t.trial, by << best;
  }
  finished_->setData(fx, fy, true);
  pruned_->setData(px, py, true);
  running_->setData(rx, ry, true);
  best_->setData(bx, by, true);
  if (bestTrialNumber > 0) bestMark_->setData(QVector<double>{double(bestTrialNumber)}, QVector<double>{best}, true);
  else bestMark_->data()->clear();
  // The legend explains only what is drawn (no "training" entry once the sweep has ended).
  legend->clearItems();
  for (QCPGraph* g : {best_, bestMark_, finished_, pruned_, running_})
    if (g->dataCount() > 0) g->addToLegend();
  legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
  legend->setVisible(legend->itemCount() > 0);
  xAxis->setRange(0.5, std::max(5, last) + 0.5);
  if (hi >= lo) {
    const double pad = std::max(0.01, (hi - lo) * 0.08);
    yAxis->setRange(std::max(0.0, lo - pad), std::min(1.0, hi + pad));
  } else {
    yAxis->setRange(0, 1);
  }
  if (isVisible()) replot(rpQueuedReplot);
}

int TrialScoreChart::finishedPoints() const { return finished_->dataCount(); }
int TrialScoreChart::prunedPoints() const { return pruned_->dataCount(); }
int TrialScoreChart::incumbentSteps() const { return best_->dataCount(); }

}  // namespace foldbench::ui
