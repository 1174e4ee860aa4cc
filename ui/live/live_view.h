#pragma once
// The Live tab: accuracy, loss, learning rate and examples/s per fold as the run trains, and
// the per-fold table filling in as folds end.
#include <QElapsedTimer>
#include <QTimer>
#include <QWidget>

#include "shared/live_event.h"

class QTableView;

namespace foldbench::ui {

class FoldChart;
class FoldTableModel;

class LiveView : public QWidget {
  Q_OBJECT
 public:
  explicit LiveView(QWidget* parent = nullptr);

  // Clears the charts and table for a new run of `epochs` epochs per fold.
  void beginRun(int epochs);
  void apply(const LiveEvents& events);

  FoldChart* accuracyChart() const { return accuracy_; }
  FoldChart* lossChart() const { return loss_; }
  FoldChart* learningRateChart() const { return learningRate_; }
  FoldChart* speedChart() const { return speed_; }
  FoldTableModel* foldTable() const { return table_; }

 private:
  void refreshCharts();
  void repaintNow();
  static constexpr qint64 kRepaintIntervalMs = 500;
  double stepToEpoch(long step, long totalSteps) const;

  FoldChart* accuracy_;
  FoldChart* loss_;
  FoldChart* learningRate_;
  FoldChart* speed_;
  FoldTableModel* table_;
  QTableView* tableView_;
  int epochs_ = 1;
  long lastTotalSteps_ = 0;
  QTimer repaintTimer_;
  QElapsedTimer sinceRepaint_;
};

}  // namespace foldbench::ui
