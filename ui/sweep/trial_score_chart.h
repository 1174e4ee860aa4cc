#pragma once
// Score against trial number: each trial's mean validation accuracy (finished: filled, by its
// score colour; pruned: grey, at its partial mean; running: hollow blue, partial), and the
// incumbent's running best as a step line, the trial that holds it marked.
#include <qcustomplot.h>

#include "sweep/sweep_snapshot.h"

namespace foldbench::ui {

class TrialScoreChart : public QCustomPlot {
  Q_OBJECT
 public:
  explicit TrialScoreChart(QWidget* parent = nullptr);

  void setSnapshot(const SweepSnapshot& snapshot);
  // Points drawn for finished / pruned / running trials, and steps of the best line (for tests).
  int finishedPoints() const;
  int prunedPoints() const;
  int incumbentSteps() const;

 private:
  QCPGraph *finished_, *pruned_, *running_, *best_, *bestMark_;
};

}  // namespace foldbench::ui
