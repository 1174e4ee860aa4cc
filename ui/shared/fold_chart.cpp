#include "shared/fold_chart.h"

#include <QApplication>
#include <QFileDialog>
#include <QMenu>
#include <QSvgGenerator>
#include <QToolTip>
#include <cmath>
#include <limits>

namespace foldbench::ui {

namespace {
quint64 graphKey(int fold, FoldChart::Series series) {
  return (static_cast<quint64>(fold) << 8) | static_cast<quint64>(series);
}
QString seriesKey(FoldChart::Series s) { return QString::number(static_cast<int>(s)); }
}  // namespace

QColor FoldChart::foldColor(int fold) {
  // Distinguishable on light and dark backgrounds (Tableau 10).
  static const QColor colors[] = {QColor(0x4e, 0x79, 0xa7), QColor(0xf2, 0x8e, 0x2b), QColor(0x59, 0xa1, 0x4f),
                                  QColor(0xe1, 0x57, 0x59), QColor(0xb0, 0x7a, 0xa1), QColor(0x76, 0xb7, 0xb2),
                                  QColor(0xed, 0xc9, 0x48), QColor(0xff, 0x9d, 0xa7), QColor(0x9c, 0x75, 0x5f),
                                  QColor(0xba, 0xb0, 0xac)};
  return colors[static_cast<unsigned>(fold) % (sizeof colors / sizeof colors[0])];
}

FoldChart::FoldChart(const QString& title, const QString& yLabel, QWidget* parent)
    : QCustomPlot(parent), yLabel_(yLabel) {
  plotLayout()->insertRow(0);
  title_ = new QCPTextElement(this, title, QFont(font().family(), font().pointSize(), QFont::Bold));
  plotLayout()->addElement(0, 0, title_);
  xAxis->setLabel(tr("epoch"));
  yAxis->setLabel(yLabel);
  legend->setVisible(false);  // shown with the first series
  legend->setIconSize(22, 8);
  // The legend sits in a column right of the plot, at the top, so it never covers a curve.
  axisRect()->insetLayout()->take(legend);
  auto* side = new QCPLayoutGrid;
  plotLayout()->addElement(1, 1, side);
  side->addElement(0, 0, legend);
  side->addElement(1, 0, new QCPLayoutElement(this));  // takes the height below the legend
  side->setRowStretchFactor(0, 0.001);
  side->setMargins(QMargins(0, 6, 6, 0));
  plotLayout()->setColumnStretchFactor(1, 0.001);
  legend->setFillOrder(QCPLayoutGrid::foRowsFirst);
  xAxis->setRange(0, 1);
  yAxis->setRange(0, 1);
  setMinimumSize(260, 200);
  setMouseTracking(true);
  setNoAntialiasingOnDrag(true);
  applyPalette();
}

void FoldChart::setSeriesName(Series series, const QString& name) { seriesNames_[seriesKey(series)] = name; }

void FoldChart::setValueBounds(double lo, double hi) {
  lo_ = lo;
  hi_ = hi;
  bounded_ = true;
}

void FoldChart::clearFolds() {
  clearGraphs();
  graphs_.clear();
  bestMarks_.clear();
  foldKeys_.clear();
  seriesKeys_.clear();
  legend->clearItems();
  legend->setVisible(false);
  xAxis->setRange(0, xSpan_);
  replot(rpQueuedReplot);
}

void FoldChart::setEpochs(int epochs) {
  xSpan_ = std::max(1, epochs);
  xAxis->setRange(0, xSpan_);
}

QCPGraph* FoldChart::graph(int fold, Series series) {
  const auto key = graphKey(fold, series);
  if (auto* g = graphs_.value(key)) return g;
  auto* g = addGraph();
  QColor color = foldColor(fold);
  QPen pen(color, series == Series::Thin ? 1.0 : 2.0);
  if (series == Series::Dashed) pen.setStyle(Qt::DashLine);
  if (series == Series::Thin) {
    color.setAlpha(150);
    pen.setColor(color);
  }
  g->setPen(pen);
  if (series == Series::Solid) g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 4));
  const QString name = seriesNames_.value(seriesKey(series));
  g->setName(name.isEmpty() ? tr("fold %1").arg(fold) : tr("fold %1 %2").arg(fold).arg(name));  // the hover text
  g->removeFromLegend();
  graphs_.insert(key, g);
  // The legend explains each fold's colour once, and each named line style once.
  bool changed = false;
  if (!foldKeys_.contains(fold)) {
    foldKeys_.insert(fold, legendKey(tr("fold %1").arg(fold), QPen(foldColor(fold), 2.0), false));
    changed = true;
  }
  if (!name.isEmpty() && !seriesKeys_.contains(static_cast<int>(series))) {
    QPen style = pen;
    style.setColor(palette().color(QPalette::Text));
    seriesKeys_.insert(static_cast<int>(series), legendKey(name, style, series == Series::Solid));
    changed = true;
  }
  if (changed) rebuildLegend();
  return g;
}

QCPGraph* FoldChart::legendKey(const QString& name, const QPen& pen, bool marker) {
  auto* key = addGraph();
  key->setPen(pen);
  if (marker) key->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 4));
  key->setName(name);
  key->removeFromLegend();
  return key;
}

void FoldChart::rebuildLegend() {
  legend->clearItems();
  for (auto* key : seriesKeys_) key->addToLegend();
  for (auto* key : foldKeys_) key->addToLegend();
  legend->setVisible(legend->itemCount() > 0);
  fitLegendColumns();
}

void FoldChart::fitLegendColumns() {
  // One column while the entries fit the plot's height, then as many as they need.
  if (legend->itemCount() == 0) return;
  const int itemHeight = legend->item(0)->minimumOuterSizeHint().height() + legend->rowSpacing();
  const int available = std::max(itemHeight, axisRect()->outerRect().height() - 12);
  legend->setWrap(std::max(1, available / std::max(1, itemHeight)));
}

void FoldChart::resizeEvent(QResizeEvent* event) {
  QCustomPlot::resizeEvent(event);
  fitLegendColumns();
}

QStringList FoldChart::legendEntries() const {
  QStringList entries;
  for (int i = 0; i < legend->itemCount(); ++i)
    if (auto* item = qobject_cast<QCPPlottableLegendItem*>(legend->item(i))) entries << item->plottable()->name();
  return entries;
}

void FoldChart::addPoint(int fold, Series series, double x, double y) {
  if (!std::isfinite(y)) return;
  graph(fold, series)->addData(x, y);
}

void FoldChart::markBest(int fold, double x, double y) {
  QCPGraph* mark = bestMarks_.value(fold);
  if (!mark) {
    mark = addGraph();
    mark->setLineStyle(QCPGraph::lsNone);
    mark->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, foldColor(fold).darker(130), foldColor(fold), 11));
    mark->removeFromLegend();
    bestMarks_.insert(fold, mark);
  }
  mark->data()->clear();
  mark->addData(x, y);
}

void FoldChart::showEvent(QShowEvent* event) {
  QCustomPlot::showEvent(event);
  refresh();  // points added while hidden were not scaled for
}

void FoldChart::refresh() {
  if (!isVisible()) return;  // hidden charts catch up when shown
  bool found = false;
  QCPRange keys = QCPRange(0, 1), values;
  for (auto* g : graphs_) {
    bool ok = false;
    const auto k = g->getKeyRange(ok);
    if (!ok) continue;
    const auto v = g->getValueRange(ok);
    if (!found) {
      keys = k;
      values = v;
      found = true;
    } else {
      keys.expand(k);
      values.expand(v);
    }
  }
  xAxis->setRange(0, std::max(static_cast<double>(xSpan_), keys.upper) + 0.05);
  if (found) {
    const double pad = std::max(1e-6, (values.upper - values.lower) * 0.08);
    double lo = values.lower - pad, hi = values.upper + pad;
    if (bounded_) {
      lo = std::max(lo, lo_);
      hi = std::min(hi, hi_);
    }
    if (hi <= lo) hi = lo + 1e-3;
    yAxis->setRange(lo, hi);
  }
  replot(rpQueuedReplot);
}

int FoldChart::pointCount(int fold, Series series) const {
  const auto* g = graphs_.value(graphKey(fold, series));
  return g ? g->dataCount() : 0;
}

bool FoldChart::hasBestMark(int fold) const {
  const auto* g = bestMarks_.value(fold);
  return g && g->dataCount() > 0;
}

bool FoldChart::exportTo(const QString& path) {
  const int w = std::max(width(), 640), h = std::max(height(), 400);
  if (path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive)) return savePdf(path, w, h);
  if (path.endsWith(QLatin1String(".svg"), Qt::CaseInsensitive)) {
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(QSize(w, h));
    svg.setViewBox(QRect(0, 0, w, h));
    svg.setTitle(title_->text());
    QCPPainter painter(&svg);
    toPainter(&painter, w, h);
    return painter.end();
  }
  return savePng(path, w, h, 2.0);
}

void FoldChart::mouseMoveEvent(QMouseEvent* event) {
  QCustomPlot::mouseMoveEvent(event);
  // The nearest data point of any graph within a few pixels.
  const QPointF pos = event->position();
  double bestDistance = 12.0;
  QString text;
  for (int i = 0; i < graphCount(); ++i) {
    QCPGraph* g = QCustomPlot::graph(i);
    for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) {
      const QPointF p = g->coordsToPixels(it->key, it->value);
      const double d = std::hypot(p.x() - pos.x(), p.y() - pos.y());
      if (d < bestDistance) {
        bestDistance = d;
        text = tr("%1\nepoch %2\n%3 %4").arg(g->name().isEmpty() ? tr("kept epoch") : g->name())
                   .arg(it->key, 0, 'f', 2).arg(yLabel_).arg(it->value, 0, 'g', 4);
      }
    }
  }
  if (text.isEmpty()) QToolTip::hideText();
  else QToolTip::showText(event->globalPosition().toPoint(), text, this);
}

void FoldChart::contextMenuEvent(QContextMenuEvent* event) {
  QMenu menu(this);
  menu.addAction(tr("Export chart…"), this, [this] {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Chart"), title_->text() + ".png",
                                                      tr("PNG image (*.png);;SVG drawing (*.svg);;PDF (*.pdf)"));
    if (!path.isEmpty() && !exportTo(path)) QToolTip::showText(QCursor::pos(), tr("Could not write %1").arg(path));
  });
  menu.addAction(tr("Fit to data"), this, [this] { refresh(); });
  menu.exec(event->globalPos());
}

void FoldChart::changeEvent(QEvent* event) {
  QCustomPlot::changeEvent(event);
  if (event->type() == QEvent::PaletteChange) applyPalette();
}

void FoldChart::applyPalette() {
  // Follow the system palette, light or dark.
  const QPalette pal = palette();
  setBackground(pal.color(QPalette::Base));
  for (QCPAxis* axis : {xAxis, yAxis}) {
    axis->setBasePen(QPen(pal.color(QPalette::Text)));
    axis->setTickPen(QPen(pal.color(QPalette::Text)));
    axis->setSubTickPen(QPen(pal.color(QPalette::Text)));
    axis->setTickLabelColor(pal.color(QPalette::Text));
    axis->setLabelColor(pal.color(QPalette::Text));
    QColor grid = pal.color(QPalette::Text);
    grid.setAlpha(40);
    axis->grid()->setPen(QPen(grid, 1, Qt::DotLine));
  }
  title_->setTextColor(pal.color(QPalette::Text));
  for (auto it = seriesKeys_.begin(); it != seriesKeys_.end(); ++it) {
    QPen pen = it.value()->pen();
    pen.setColor(pal.color(QPalette::Text));
    it.value()->setPen(pen);
  }
  legend->setBrush(pal.color(QPalette::Base));
  legend->setTextColor(pal.color(QPalette::Text));
  QColor border = pal.color(QPalette::Text);
  border.setAlpha(80);
  legend->setBorderPen(QPen(border));
  replot(rpQueuedReplot);
}

}  // namespace foldbench::ui
