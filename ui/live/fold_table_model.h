#pragma once
// The per-fold results of the run in progress, as in the seed's table: fold, best epoch, train
// accuracy, validation accuracy, validation micro-F1, checkpoint; mean and standard deviation
// of the folds that have a kept epoch in the last two rows.
#include <QAbstractTableModel>
#include <vector>

#include "shared/live_event.h"

namespace foldbench::ui {

class FoldTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { FoldColumn, StatusColumn, BestEpochColumn, TrainAccColumn, ValAccColumn, ValF1Column, CheckpointColumn, ColumnCount };

  explicit FoldTableModel(QObject* parent = nullptr);

  void clear();
  void foldStarted(int fold);
  void foldEnded(const FoldEndEvent& fold);

  int foldRows() const { return static_cast<int>(folds_.size()); }
  int finishedFolds() const;
  // Mean of a column over the folds with a kept epoch; 0 when none.
  double mean(Column column) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  struct Row {
    int fold = 0;
    bool ended = false;
    FoldEndEvent result;
  };
  std::vector<double> values(Column column) const;
  bool hasSummary() const;
  std::vector<Row> folds_;
};

}  // namespace foldbench::ui
