#include "detail/confusion_matrix_view.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>

#include "detail/confusion_matrix_plot.h"

namespace foldbench::ui {

namespace {
constexpr int kSmallestCell = 3, kLargestCell = 48;
}

ConfusionMatrixView::ConfusionMatrixView(QWidget* parent)
    : QWidget(parent),
      plot_(new ConfusionMatrixPlot),
      scroll_(new QScrollArea),
      slider_(new QSlider(Qt::Horizontal)),
      whole_(new QToolButton),
      readable_(new QToolButton),
      readout_(new QLabel) {
  scroll_->setWidget(plot_);
  scroll_->setWidgetResizable(false);
  scroll_->setFrameShape(QFrame::NoFrame);
  scroll_->setMinimumSize(200, 200);
  slider_->setRange(kSmallestCell, kLargestCell);
  slider_->setMaximumWidth(160);
  slider_->setToolTip(tr("Cell size in pixels (Ctrl+wheel over the matrix)"));
  readable_->setText(tr("Readable Labels"));
  readable_->setToolTip(tr("Cells fill the free space but stay tall enough for every label name; the matrix scrolls "
                           "when it needs more room"));
  whole_->setText(tr("Whole Matrix"));
  whole_->setToolTip(tr("Every cell in sight; with many labels only every few are named (hover a cell for its names)"));
  for (auto* button : {readable_, whole_}) button->setCheckable(true);
  connect(readable_, &QToolButton::clicked, this, [this] { setZoom(Zoom::Readable); });
  connect(whole_, &QToolButton::clicked, this, [this] { setZoom(Zoom::Whole); });
  connect(slider_, &QSlider::valueChanged, this, [this](int value) {
    if (!relayingOut_) setCellSize(value);
  });
  connect(plot_, &ConfusionMatrixPlot::zoomRequested, this, &ConfusionMatrixView::zoomBy);
  connect(plot_, &ConfusionMatrixPlot::cellHovered, this, &ConfusionMatrixView::showReadout);
  readout_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  readout_->setWordWrap(true);  // a long pair of labels must not widen the pane
  showReadout(-1, -1);

  auto* bar = new QHBoxLayout;
  bar->addWidget(new QLabel(tr("Zoom:")));
  bar->addWidget(slider_);
  bar->addWidget(readable_);
  bar->addWidget(whole_);
  bar->addStretch(1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(bar);
  layout->addWidget(scroll_, 1);
  layout->addWidget(readout_);
  setZoom(Zoom::Readable);
}

void ConfusionMatrixView::setReport(const analysis::ClassificationReport& report) {
  plot_->setReport(report);
  showReadout(-1, -1);
  relayout();
}

void ConfusionMatrixView::setZoom(Zoom zoom) {
  zoom_ = zoom;
  readable_->setChecked(zoom == Zoom::Readable);
  whole_->setChecked(zoom == Zoom::Whole);
  relayout();
}

void ConfusionMatrixView::setCellSize(int pixels) {
  zoom_ = Zoom::Manual;
  readable_->setChecked(false);
  whole_->setChecked(false);
  relayingOut_ = true;
  slider_->setValue(std::clamp(pixels, kSmallestCell, kLargestCell));
  relayingOut_ = false;
  plot_->setCellSize(slider_->value());
}

QString ConfusionMatrixView::readout() const { return readout_->text(); }

void ConfusionMatrixView::showReadout(int gold, int predicted) {
  readout_->setText(gold >= 0 ? plot_->describeCell(gold, predicted)
                              : tr("Hover a cell for its labels, rows and share; click it to list its rows. "
                                   "Ctrl+wheel zooms."));
}

int ConfusionMatrixView::fittingCellSize() {
  const int n = std::max(1, plot_->labelCount());
  const QSize area = scroll_->maximumViewportSize();
  int cell = std::max(kSmallestCell, std::min(area.width(), area.height()) / (n + 10));
  for (int pass = 0; pass < 2; ++pass) {
    const QSize extras = plot_->sizeForCell(cell) - QSize(n * cell, n * cell);
    cell = std::max(kSmallestCell, std::min((area.width() - extras.width()) / n, (area.height() - extras.height()) / n));
  }
  return std::min(cell, kLargestCell);
}

void ConfusionMatrixView::relayout() {
  if (plot_->labelCount() == 0 || zoom_ == Zoom::Manual) return;
  relayingOut_ = true;
  const int fit = fittingCellSize();
  const int cell = zoom_ == Zoom::Whole ? fit : std::max(fit, plot_->readableCellSize());
  plot_->setCellSize(cell);
  slider_->setValue(cell);
  relayingOut_ = false;
}

void ConfusionMatrixView::zoomBy(int steps, const QPoint& at) {
  const int before = plot_->cellSize();
  const int after = std::clamp(before + steps * std::max(1, before / 6), kSmallestCell, kLargestCell);
  if (after == before) return;
  // Keep the point under the mouse where it is.
  const QRect cells = plot_->axisRect()->rect();
  const QPointF inCells((at.x() - cells.left()) / double(before), (at.y() - cells.top()) / double(before));
  const QPoint inViewport = plot_->mapTo(scroll_->viewport(), at);
  setCellSize(after);
  const QRect moved = plot_->axisRect()->rect();
  scroll_->horizontalScrollBar()->setValue(static_cast<int>(moved.left() + inCells.x() * after) - inViewport.x());
  scroll_->verticalScrollBar()->setValue(static_cast<int>(moved.top() + inCells.y() * after) - inViewport.y());
}

void ConfusionMatrixView::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  relayout();
}

void ConfusionMatrixView::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  relayout();
}

}  // namespace foldbench::ui
