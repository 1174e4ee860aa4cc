#pragma once
// A confusion matrix as a heat map: gold labels down the left, predicted labels along the
// top, by count or normalised by row (recall per gold label). Its cells are square, of a size
// the owner chooses (ConfusionMatrixView zooms); label names are shown on both axes when the
// cells are tall enough for them, else every k-th. Hovering a cell outlines it and says which
// labels it pairs, its count and its share; clicking it says which (gold, predicted) pair it
// is, so the view can list its examples. Ctrl+wheel asks the owner to zoom.
#include <qcustomplot.h>

#include "foldbench/analysis/classification_report.h"

namespace foldbench::ui {

class ConfusionMatrixPlot : public QCustomPlot {
  Q_OBJECT
 public:
  explicit ConfusionMatrixPlot(QWidget* parent = nullptr);

  void setReport(const analysis::ClassificationReport& report);
  void setNormalised(bool byRow);
  bool normalised() const { return normalised_; }
  // The value drawn in a cell: a count, or the share of its gold row.
  double cellValue(int gold, int predicted) const;
  std::int64_t total() const;
  int labelCount() const { return static_cast<int>(report_.labels.size()); }
  // The cell under a widget position, or {-1, -1}.
  QPair<int, int> cellAt(const QPoint& position) const;
  QPoint cellCenter(int gold, int predicted) const;
  // What hovering a cell says: both labels, its rows, its share of the gold row and of all rows.
  QString describeCell(int gold, int predicted) const;

  // Cells of `pixels` a side: the widget takes the size that needs (its margins measured after
  // a layout, so the size is exact after one call).
  void setCellSize(int pixels);
  int cellSize() const { return cellSize_; }
  // The size the widget needs for cells of `pixels`, with the current labels.
  QSize sizeForCell(int pixels);
  // The smallest cell a label name fits beside without touching its neighbours.
  int readableCellSize() const;
  // Every k-th label is named on the axes: 1 when every name fits.
  int labelStride() const { return stride_; }

 signals:
  void cellClicked(int gold, int predicted);
  void cellHovered(int gold, int predicted);  // {-1, -1} when the mouse leaves the cells
  void zoomRequested(int steps, const QPoint& at);  // Ctrl+wheel: + in, - out

 protected:
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;

 private:
  void rebuild();
  void updateTicks();
  void hover(int gold, int predicted);

  analysis::ClassificationReport report_;
  bool normalised_ = true;
  int cellSize_ = 0;  // 0: not chosen yet
  int stride_ = 1;
  QPair<int, int> hovered_{-1, -1};
  QCPColorMap* map_;
  QCPColorScale* scale_;
  QCPItemRect* outline_;
};

}  // namespace foldbench::ui
