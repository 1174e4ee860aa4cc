#pragma once
// A confusion matrix as a heat map: gold labels down the left, predicted labels along the
// bottom, by count or normalised by row (recall per gold label). Clicking a cell says which
// (gold, predicted) pair it is, so the view can list its examples.
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

 signals:
  void cellClicked(int gold, int predicted);

 protected:
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;

 private:
  void rebuild();

  analysis::ClassificationReport report_;
  bool normalised_ = true;
  QCPColorMap* map_;
  QCPColorScale* scale_;
};

}  // namespace foldbench::ui
