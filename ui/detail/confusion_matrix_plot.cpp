#include "detail/confusion_matrix_plot.h"

#include <QToolTip>
#include <cmath>

namespace foldbench::ui {

ConfusionMatrixPlot::ConfusionMatrixPlot(QWidget* parent)
    : QCustomPlot(parent),
      map_(new QCPColorMap(xAxis2, yAxis)),
      scale_(new QCPColorScale(this)),
      outline_(new QCPItemRect(this)) {
  plotLayout()->addElement(0, 1, scale_);
  scale_->setType(QCPAxis::atRight);
  scale_->setBarWidth(12);
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
  // Predicted labels along the top: in sight above the first rows, where reading starts.
  xAxis->setVisible(false);
  xAxis2->setVisible(true);
  xAxis2->setLabel(tr("predicted"));
  yAxis->setLabel(tr("gold"));
  yAxis->setRangeReversed(true);
  QFont small = font();
  small.setPointSizeF(std::max(7.0, small.pointSizeF() - 1.0));
  xAxis2->setTickLabelFont(small);
  yAxis->setTickLabelFont(small);
  xAxis2->setTickLabelRotation(-90);
  for (auto* axis : {xAxis2, yAxis}) {
    axis->grid()->setVisible(false);
    axis->setSubTicks(false);
    axis->setTickLengthIn(0);
    axis->setTickLengthOut(3);
  }
  for (auto* position : {outline_->topLeft, outline_->bottomRight}) position->setAxes(xAxis2, yAxis);
  outline_->setPen(QPen(QColor(0xe1, 0x57, 0x59), 2));
  outline_->setBrush(Qt::NoBrush);
  outline_->setVisible(false);
  setMouseTracking(true);
}

void ConfusionMatrixPlot::setReport(const analysis::ClassificationReport& report) {
  report_ = report;
  hovered_ = {-1, -1};
  outline_->setVisible(false);
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
  xAxis2->setRange(-0.5, n - 0.5);
  yAxis->setRange(-0.5, n - 0.5);
  updateTicks();
  replot(rpQueuedReplot);
}

int ConfusionMatrixPlot::readableCellSize() const {
  const QFontMetrics metrics(yAxis->tickLabelFont());
  int tallest = metrics.ascent() + metrics.descent();
  for (const auto& label : report_.labels)
    tallest = std::max(tallest, metrics.boundingRect(QString::fromStdString(label)).height());
  return tallest + 1;
}

void ConfusionMatrixPlot::updateTicks() {
  const int n = labelCount();
  const int cell = cellSize_ > 0 ? cellSize_ : readableCellSize();
  stride_ = std::max(1, (readableCellSize() + cell - 1) / std::max(1, cell));
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  for (int i = 0; i < n; i += stride_) ticker->addTick(i, QString::fromStdString(report_.labels[static_cast<std::size_t>(i)]));
  xAxis2->setTicker(ticker);
  yAxis->setTicker(ticker);
}

QSize ConfusionMatrixPlot::sizeForCell(int pixels) {
  cellSize_ = std::max(2, pixels);
  updateTicks();
  // The margins (label widths, the colour scale) from a layout at the current size.
  setViewport(QRect(QPoint(0, 0), size()));
  replot(rpImmediateRefresh);
  const QSize extras = size() - axisRect()->rect().size();
  const int side = std::max(1, labelCount()) * cellSize_;
  return extras + QSize(side, side);
}

void ConfusionMatrixPlot::setCellSize(int pixels) {
  // Twice: the first layout may still have been at another size's colour-scale ticks.
  for (int pass = 0; pass < 2; ++pass) {
    const QSize wanted = sizeForCell(pixels);
    if (wanted == size()) break;
    resize(wanted);
    setViewport(QRect(QPoint(0, 0), wanted));
  }
  replot(rpQueuedReplot);
}

QPair<int, int> ConfusionMatrixPlot::cellAt(const QPoint& position) const {
  const int p = static_cast<int>(std::lround(xAxis2->pixelToCoord(position.x())));
  const int g = static_cast<int>(std::lround(yAxis->pixelToCoord(position.y())));
  if (!axisRect()->rect().contains(position) || p < 0 || g < 0 || p >= labelCount() || g >= labelCount()) return {-1, -1};
  return {g, p};
}

QPoint ConfusionMatrixPlot::cellCenter(int gold, int predicted) const {
  return QPoint(static_cast<int>(xAxis2->coordToPixel(predicted)), static_cast<int>(yAxis->coordToPixel(gold)));
}

QString ConfusionMatrixPlot::describeCell(int gold, int predicted) const {
  if (gold < 0 || predicted < 0 || gold >= labelCount() || predicted >= labelCount()) return {};
  const auto count = report_.confusion[static_cast<std::size_t>(gold)][static_cast<std::size_t>(predicted)];
  const auto support = report_.classes[static_cast<std::size_t>(gold)].support;
  const auto all = total();
  const QLocale locale;
  const auto percent = [&](std::int64_t part, std::int64_t whole) {
    return locale.toString(whole ? 100.0 * static_cast<double>(part) / static_cast<double>(whole) : 0.0, 'f', 1);
  };
  return tr("gold %1 → predicted %2: %3, %4% of the gold row's %5, %6% of all %7 rows")
      .arg(QString::fromStdString(report_.labels[static_cast<std::size_t>(gold)]),
           QString::fromStdString(report_.labels[static_cast<std::size_t>(predicted)]),
           count == 1 ? tr("1 row") : tr("%1 rows").arg(locale.toString(count)),
           percent(count, support), locale.toString(support), percent(count, all), locale.toString(all));
}

void ConfusionMatrixPlot::hover(int gold, int predicted) {
  if (hovered_ == qMakePair(gold, predicted)) return;
  hovered_ = {gold, predicted};
  outline_->setVisible(gold >= 0);
  if (gold >= 0) {
    outline_->topLeft->setCoords(predicted - 0.5, gold - 0.5);
    outline_->bottomRight->setCoords(predicted + 0.5, gold + 0.5);
  }
  replot(rpQueuedReplot);
  emit cellHovered(gold, predicted);
}

void ConfusionMatrixPlot::mouseMoveEvent(QMouseEvent* event) {
  QCustomPlot::mouseMoveEvent(event);
  const auto [g, p] = cellAt(event->pos());
  hover(g, p);
  if (g < 0) QToolTip::hideText();
  else QToolTip::showText(event->globalPosition().toPoint(), describeCell(g, p).replace(": ", ":\n"), this);
}

void ConfusionMatrixPlot::leaveEvent(QEvent* event) {
  QCustomPlot::leaveEvent(event);
  hover(-1, -1);
}

void ConfusionMatrixPlot::wheelEvent(QWheelEvent* event) {
  if (!(event->modifiers() & Qt::ControlModifier)) {
    event->ignore();  // the scroll area around scrolls
    return;
  }
  const int delta = event->angleDelta().y();
  const int steps = delta / 120 != 0 ? delta / 120 : (delta > 0) - (delta < 0);  // a touchpad's small steps count as one
  if (steps != 0) emit zoomRequested(steps, event->position().toPoint());
  event->accept();
}

void ConfusionMatrixPlot::mouseReleaseEvent(QMouseEvent* event) {
  QCustomPlot::mouseReleaseEvent(event);
  if (event->button() != Qt::LeftButton) return;
  const auto [g, p] = cellAt(event->pos());
  if (g >= 0) emit cellClicked(g, p);
}

}  // namespace foldbench::ui
