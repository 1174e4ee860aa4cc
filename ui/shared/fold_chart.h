#pragma once
// A live chart of one quantity per fold: one colour per fold, a solid and an optional dashed
// series per fold (validation solid, training dashed), markers for kept epochs, axes that
// follow the data, a legend beside the plot (never over the curves) that explains each fold's
// colour once and each named line style once (5 folds and 2 styles: 7 entries, not 10), the value under the mouse as a tooltip, and export to PNG, SVG
// or PDF from the context menu.
#include <QHash>
#include <QMap>
#include <QStringList>
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
  // The legend's entries, top to bottom: the named line styles, then "fold 0", "fold 1", ...
  QStringList legendEntries() const;
  bool exportTo(const QString& path);  // by extension: .png, .svg or .pdf
  static QColor foldColor(int fold);

 protected:
  void mouseMoveEvent(QMouseEvent* event) override;
  void contextMenuEvent(QContextMenuEvent* event) override;
  void changeEvent(QEvent* event) override;
  void showEvent(QShowEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  QCPGraph* graph(int fold, Series series);
  // A data-less graph that only draws a legend entry: a fold's colour or a series' style.
  QCPGraph* legendKey(const QString& name, const QPen& pen, bool marker);
  void rebuildLegend();
  void fitLegendColumns();
  void applyPalette();

  QString yLabel_;
  QHash<QString, QString> seriesNames_;
  QHash<quint64, QCPGraph*> graphs_;
  QHash<int, QCPGraph*> bestMarks_;
  QMap<int, QCPGraph*> foldKeys_;    // legend entries, by fold
  QMap<int, QCPGraph*> seriesKeys_;  // legend entries, by Series
  QCPTextElement* title_;
  double lo_ = 0.0, hi_ = 0.0;
  bool bounded_ = false;
  int xSpan_ = 1;
};

}  // namespace foldbench::ui
