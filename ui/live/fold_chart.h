#pragma once
// A live chart of one quantity per fold: one colour per fold, a solid and an optional dashed
// series per fold (validation solid, training dashed), markers for kept epochs, a legend,
// axes that follow the data, the value under the mouse as a tooltip, and export to PNG, SVG
// or PDF from the context menu.
#include <QHash>
#include <QString>
#include <qcustomplot.h>

namespace foldbench::ui {

class FoldChart : public QCustomPlot {
  Q_OBJECT
 public:
  enum class Series { Solid, Dashed, Thin };

  FoldChart(const QString& title, const QString& yLabel, QWidget* parent = nullptr);

  // Legend text for each series kind; an empty name keeps that kind out of the legend.
  void setSeriesName(Series series, const QString& name);
  // y stays within [lo, hi] when the data allows (accuracy: 0..1).
  void setValueBounds(double lo, double hi);
  void setLegendCorner(Qt::Alignment corner);

  void clearFolds();
  // The x axis spans at least this many epochs, so a run's chart does not rescale as it grows.
  void setEpochs(int epochs);
  void addPoint(int fold, Series series, double x, double y);
  // Marks (fold, x, y) as the kept epoch of that fold, replacing the previous mark.
  void markBest(int fold, double x, double y);
  // Rescales and repaints once, coalesced with other requests in the same event-loop pass.
  void refresh();

  int pointCount(int fold, Series series) const;
  bool hasBestMark(int fold) const;
  bool exportTo(const QString& path);  // by extension: .png, .svg or .pdf
  static QColor foldColor(int fold);

 protected:
  void mouseMoveEvent(QMouseEvent* event) override;
  void contextMenuEvent(QContextMenuEvent* event) override;
  void changeEvent(QEvent* event) override;
  void showEvent(QShowEvent* event) override;

 private:
  QCPGraph* graph(int fold, Series series);
  void applyPalette();

  QString yLabel_;
  QHash<QString, QString> seriesNames_;
  QHash<quint64, QCPGraph*> graphs_;
  QHash<int, QCPGraph*> bestMarks_;
  QCPTextElement* title_;
  double lo_ = 0.0, hi_ = 0.0;
  bool bounded_ = false;
  int xSpan_ = 1;
};

}  // namespace foldbench::ui
