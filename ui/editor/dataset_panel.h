#pragma once
#include <QWidget>

#include "dataset_snapshot.h"

class QLabel;
class QTableView;

namespace foldbench::ui {

class DiagnosticsModel;
class LabelHistogramModel;
class LabelHistogramPlot;

// Summary of the loaded dataset: counts, lengths, label histogram, problems and repairs.
class DatasetPanel : public QWidget {
  Q_OBJECT
 public:
  explicit DatasetPanel(QWidget* parent = nullptr);

  void showSnapshot(const DatasetSnapshot& snapshot);
  QString summaryText() const;
  const LabelHistogramModel* histogramModel() const { return histogram_; }
  const DiagnosticsModel* diagnosticsModel() const { return diagnostics_; }
  const LabelHistogramPlot* histogramPlot() const { return plot_; }

 private:
  QLabel* summary_;
  LabelHistogramModel* histogram_;
  DiagnosticsModel* diagnostics_;
  LabelHistogramPlot* plot_;
  QTableView* histogramView_;
  QTableView* diagnosticsView_;
};

}  // namespace foldbench::ui
