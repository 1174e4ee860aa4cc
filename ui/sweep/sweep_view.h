#pragma once
// The Sweep tab: one sweep of the tracker, followed live as its trials are claimed, trained,
// pruned and finished (by this window or by `foldbench-cli sweep run` anywhere on the same
// tracker). The trial table, the score of each trial with the incumbent's running best, the
// parallel-coordinates plot whose brushes filter the table, and the actions: stop or resume
// this window's sweep, open the best trial's config in the editor, compare the top N trials.
#include <QWidget>

#include "sweep/sweep_snapshot.h"

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QSplitter;
class QTableView;

namespace foldbench::ui {

class ParallelCoordinatesPlot;
class SweepReader;
class TrialFilterProxy;
class TrialScoreChart;
class TrialTableModel;

class SweepView : public QWidget {
  Q_OBJECT
 public:
  explicit SweepView(const QString& databasePath, QWidget* parent = nullptr);

  void setDatabase(const QString& path);
  // Shows sweep `name` (empty: the newest).
  void follow(const QString& name);
  // Whether this window's sweep is running now, and where it is ("trial 3, fold 2 of 5").
  void setWorkerState(const QString& runningSweep, const QString& progress, bool stopping);

  const SweepSnapshot& snapshot() const { return snapshot_; }
  SweepReader* reader() const { return reader_; }
  TrialTableModel* model() const { return model_; }
  TrialFilterProxy* proxy() const { return proxy_; }
  QTableView* table() const { return table_; }
  TrialScoreChart* scoreChart() const { return chart_; }
  ParallelCoordinatesPlot* parallelPlot() const { return parallel_; }
  QPushButton* stopButton() const { return stop_; }
  QPushButton* resumeButton() const { return resume_; }
  QPushButton* openBestButton() const { return openBest_; }
  QPushButton* compareButton() const { return compare_; }
  QString summaryText() const;
  // Rows the table shows now (after the brushes).
  int shownTrials() const;

  // The best trial's config (the sweep's base with its parameters); empty without one.
  QString bestTrialConfigJson() const;
  // The run ids of the best `n` trials (finished by mean, then pruned by partial mean).
  QList<qint64> topRunIds(int n) const;
  void openBestTrial();
  void compareTop(int n);

 signals:
  void openConfigRequested(const QString& configJson);
  void compareRequested(const QList<qint64>& ids);
  void openRunRequested(qint64 runId);  // a trial's row double-clicked
  void stopRequested();
  void resumeRequested(const QString& sweepName);
  void message(const QString& text);
  void shown();  // a snapshot was shown (tests)

 private:
  void display(const SweepSnapshot& snapshot);
  void applyBrushes();
  void updateActions();

  SweepReader* reader_;
  SweepSnapshot snapshot_;
  QString runningSweep_;
  bool stopping_ = false;
  QComboBox* sweeps_;
  QLabel* summary_;
  QLabel* progress_;
  QPushButton *stop_, *resume_, *openBest_, *compare_, *clearBrushes_;
  QSpinBox* topN_;
  TrialTableModel* model_;
  TrialFilterProxy* proxy_;
  QTableView* table_;
  QLabel* filterNote_;
  TrialScoreChart* chart_;
  ParallelCoordinatesPlot* parallel_;
  bool updatingCombo_ = false;
};

}  // namespace foldbench::ui
