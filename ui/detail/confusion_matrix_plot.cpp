#include "detail/confusion_matrix_plot.h"

#include <QToolTip>
#include <cmath>

namespace foldbench::ui {

ConfusionMatrixPlot::ConfusionMatrixPlot(QWidget* parent)
    : QCustomPlot(parent), map_(new QCPColorMap(xAxis, yAxis)), scale_(new QCPColorScale(this)) {
  plotLayout()->addElement(0, 1, scale_);
  scale_->setType(QCPAxis::atRight);
  map_->setColorScale(scale_);
  QCPColorGradient gradient;
  gradient.setColorStopAt(0.0, QColor(0xf7, 0xfb, 0xff));
  gradient.setColorStopAt(0.35, QColor(0x9e, 0xca, 0xe1));
  gradient.setColorStopAt(1.0, QColor(0x08, 0x30, 0x6b));
  map_->setGradient(gradient);
  map_->setInterpolate(false);
  auto* margins = new QCPMarginGroup(this);
  axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
  scale_->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
  xAxis->setLabel(tr("predicted"));
  yAxis->setLabel(tr("gold"));
  yAxis->setRangeReversed(true);
  QFont small = font();
  small.setPointSizeF(std::max(6.0, small.pointSizeF() - 2.0));
  xAxis->setTickLabelFont(small);
  yAxis->setTickLabelFont(small);
  xAxis->setTickLabelRotation(90);
  for (auto* axis : {xAxis, yAxis}) {
    axis->grid()->setVisible(false);
    axis->setSubTicks(false);
  }
  setMouseTracking(true);
}

void ConfusionMatrixPlot::setReport(const analysis::ClassificationReport& report) {
  report_ = report;
  rebuild();
}

void ConfusionMatrixPlot::setNormalised(bool byRow) {
  normalised_ = byRow;
  rebuild();
}

double ConfusionMatrixPlot::cellValue(int gold, int predicted) const {
  const auto& row = report_.confusion.at(static_cast<std::size_t>(gold));
  const auto count = static_cast<double>(row.at(static_cast<std::size_t>(predicted)));
  if (!normalised_) return count;
  const auto support = report_.classes.at(static_cast<std::size_t>(gold)).support;
  return support ? count / static_cast<double>(support) : 0.0;
}

std::int64_t ConfusionMatrixPlot::total() const {
  std::int64_t sum = 0;
  for (const auto& row : report_.confusion)
    for (auto cell : row) sum += cell;
  return sum;
}

void ConfusionMatrixPlot::rebuild() {
  const int n = labelCount();
  map_->data()->setSize(std::max(1, n), std::max(1, n));
  map_->data()->setRange(QCPRange(0, std::max(0, n - 1)), QCPRange(0, std::max(0, n - 1)));
  double top = 0.0;
  for (int g = 0; g < n; ++g)
    for (int p = 0; p < n; ++p) {
      const double v = cellValue(g, p);
      map_->data()->setCell(p, g, v);
      top = std::max(top, v);
    }
  map_->setDataRange(QCPRange(0.0, normalised_ ? 1.0 : std::max(1.0, top)));
  scale_->axis()->setLabel(normalised_ ? tr("share of gold row") : tr("rows"));
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  for (int i = 0; i < n; ++i) ticker->addTick(i, QString::fromStdString(report_.labels[static_cast<std::size_t>(i)]));
  xAxis->setTicker(ticker);
  yAxis->setTicker(ticker);
  xAxis->setRange(-0.5, n - 0.5);
  yAxis->setRange(-0.5, n - 0.5);
  replot();
}

QPair<int, int> ConfusionMatrixPlot::cellAt(const QPoint& position) const {
  const int p = static_cast<int>(std::lround(xAxis->pixelToCoord(position.x())));
  const int g = static_cast<int>(std::lround(yAxis->pixelToCoord(position.y())));
  if (!axisRect()->rect().contains(position) || p < 0 || g < 0 || p >= labelCount() || g >= labelCount()) return {-1, -1};
  return {g, p};
}

QPoint ConfusionMatrixPlot::cellCenter(int gold, int predicted) const {
  return QPoint(static_cast<int>(xAxis->coordToPixel(predicted)), static_cast<int>(yAxis->coordToPixel(gold)));
}

void ConfusionMatrixPlot::mouseMoveEvent(QMouseEvent* event) {
  QCustomPlot::mouseMoveEvent(event);
  const auto [g, p] = cellAt(event->pos());
  if (g < 0) {
    QToolTip::hideText();
    return;
  }
  const auto count = report_.confusion[static_cast<std::size_t>(g)][static_cast<std::size_t>(p)];
  const auto support = report_.classes[static_cast<std::size_t>(g)].support;
  const double share = support ? 100.0 * static_cast<double>(count) / static_cast<double>(support) : 0.0;
  QToolTip::showText(event->globalPosition().toPoint(),
                     tr("gold %1\npredicted %2\n%3 rows (%4% of the gold row)")
                         .arg(QString::fromStdString(report_.labels[static_cast<std::size_t>(g)]),
                              QString::fromStdString(report_.labels[static_cast<std::size_t>(p)]))
                         .arg(count)
                         .arg(QLocale().toString(share, 'f', 1)),
                     this);
}

void ConfusionMatrixPlot::mouseReleaseEvent(QMouseEvent* event) {
  QCustomPlot::mouseReleaseEvent(event);
  if (event->button() != Qt::LeftButton) return;
  const auto [g, p] = cellAt(event->pos());
  if (g >= 0) emit cellClicked(g, p);
}

}  // namespace foldbench::ui
