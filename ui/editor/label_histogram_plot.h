#pragma once
#include <QWidget>

#include "foldbench/data/dataset_stats.h"

class QCustomPlot;
class QCPBars;

namespace foldbench::ui {

// Bar chart of rows per label id (labels are long Korean names; the table beside it names them).
class LabelHistogramPlot : public QWidget {
  Q_OBJECT
 public:
  explicit LabelHistogramPlot(QWidget* parent = nullptr);
  void setSummary(const data::DatasetSummary& summary);
  int barCount() const;

 private:
  QCustomPlot* plot_;
  QCPBars* bars_;
};

}  // namespace foldbench::ui
