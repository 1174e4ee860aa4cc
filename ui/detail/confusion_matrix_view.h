#pragma once
// The Errors tab's confusion matrix in a scroll area that it fills: "Readable labels" (the
// default) grows the cells with the free space but never below the size at which every label
// name fits, scrolling when 42 labels need more room than there is; "Whole matrix" fits every
// cell in sight and names every k-th label; Ctrl+wheel or the slider zoom by hand. Under the
// matrix a read-out line names the hovered cell's labels, count and share.
#include <QWidget>

#include "foldbench/analysis/classification_report.h"

class QLabel;
class QScrollArea;
class QSlider;
class QToolButton;

namespace foldbench::ui {

class ConfusionMatrixPlot;

class ConfusionMatrixView : public QWidget {
  Q_OBJECT
 public:
  enum class Zoom { Readable, Whole, Manual };

  explicit ConfusionMatrixView(QWidget* parent = nullptr);

  void setReport(const analysis::ClassificationReport& report);
  ConfusionMatrixPlot* plot() const { return plot_; }
  QScrollArea* scrollArea() const { return scroll_; }
  QSlider* zoomSlider() const { return slider_; }

  void setZoom(Zoom zoom);
  Zoom zoom() const { return zoom_; }
  // Manual zoom: cells of `pixels` a side.
  void setCellSize(int pixels);
  QString readout() const;

 protected:
  void resizeEvent(QResizeEvent* event) override;
  void showEvent(QShowEvent* event) override;

 private:
  void relayout();
  void zoomBy(int steps, const QPoint& at);
  int fittingCellSize();  // the largest cell at which the whole matrix is in sight
  void showReadout(int gold, int predicted);

  ConfusionMatrixPlot* plot_;
  QScrollArea* scroll_;
  QSlider* slider_;
  QToolButton *whole_, *readable_;
  QLabel* readout_;
  Zoom zoom_ = Zoom::Readable;
  bool relayingOut_ = false;
};

}  // namespace foldbench::ui
