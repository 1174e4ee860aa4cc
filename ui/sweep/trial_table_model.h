#pragma once
// The sweep view's live trial table: one row per trial with its status, each swept parameter,
// the folds it has trained, the mean ± std of their best validation accuracies (partial while
// it trains, and for a pruned trial), and why it was pruned or failed. Rows are kept by trial
// number, so a new read updates cells in place and selections survive.
#include <QAbstractTableModel>
#include <QSet>
#include <QSortFilterProxyModel>
#include <optional>
#include <vector>

#include "sweep/sweep_snapshot.h"

namespace foldbench::ui {

class TrialTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Role { SortRole = Qt::UserRole + 1, TrialRole, StatusRole };

  explicit TrialTableModel(QObject* parent = nullptr);

  void setSnapshot(const SweepSnapshot& snapshot);
  const std::vector<tracker::TrialRecord>& trials() const { return trials_; }
  const tracker::TrialRecord& trial(int row) const { return trials_[static_cast<std::size_t>(row)]; }
  int rowOfTrial(int number) const;
  // Column positions: Trial, Status, one per swept field (headed by its name, "lr"; the key in
  // the tooltip), then Folds, Mean, Reason.
  int statusColumn() const { return 1; }
  int paramColumn(int dimension) const { return 2 + dimension; }
  int foldsColumn() const { return 2 + static_cast<int>(keys_.size()); }
  int meanColumn() const { return foldsColumn() + 1; }
  int reasonColumn() const { return foldsColumn() + 2; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  QString paramValue(const tracker::TrialRecord& t, std::size_t dimension) const;
  QString shortKey(std::size_t dimension) const;

  std::int64_t sweepId_ = 0;
  std::vector<std::string> keys_;
  std::vector<tracker::TrialRecord> trials_;
  int folds_ = 0;
};

// Shows only the trials a brush of the parallel-coordinates plot lets through (all without one).
class TrialFilterProxy : public QSortFilterProxyModel {
  Q_OBJECT
 public:
  using QSortFilterProxyModel::QSortFilterProxyModel;
  void setAllowedTrials(std::optional<QSet<int>> trials);
  bool isFiltering() const { return allowed_.has_value(); }

 protected:
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

 private:
  std::optional<QSet<int>> allowed_;
};

// The colour of a trial's status, as the runs' colours (a pending trial as a queued run).
QColor trialStatusColor(tracker::TrialStatus status);
QIcon trialStatusIcon(tracker::TrialStatus status);

}  // namespace foldbench::ui
