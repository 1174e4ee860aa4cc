#pragma once
// The tracker's runs as a table: fixed columns (status, name, id, started, duration, tags)
// and any parameter ("params.train.lr") or field ("cv/val/acc/mean", shown with its std when
// the tracker has one; while a run trains, the mean over its finished folds, marked "(3/5)").
// Rows are updated in place when the tracker changes, so selection and
// scroll position survive a refresh; sorting is left to a proxy (SortRole).
#include <QAbstractTableModel>
#include <QStringList>
#include <optional>
#include <unordered_map>
#include <vector>

#include "foldbench/tracker/run_store.h"

namespace foldbench::ui {

class RunsTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Role { SortRole = Qt::UserRole, RunIdRole, StatusRole };  // StatusRole: the RunStatus as an int
  static QStringList defaultColumns();

  explicit RunsTableModel(QObject* parent = nullptr);

  void setColumns(const QStringList& keys);
  const QStringList& columns() const { return columns_; }
  // The query that reads what the columns show, with `filter`.
  tracker::ListQuery query(const QString& filter) const;
  // Replaces the rows: changed rows are updated, new ones appended, gone ones removed.
  void setRuns(std::vector<tracker::RunRow> runs, double now);
  // Updates or appends `runs`, leaving every other row as it is (an incremental read).
  void mergeRuns(std::vector<tracker::RunRow> runs, double now);
  void removeRuns(const std::vector<std::int64_t>& ids);
  // Re-judges the rows shown as running (is the process still there, is the heartbeat fresh),
  // without reading the tracker: a process that dies writes nothing.
  void recheckRunning(double now);

  const tracker::RunRow& run(int row) const { return runs_.at(static_cast<std::size_t>(row)); }
  int rowOf(std::int64_t id) const;
  RunStatus statusOf(int row) const { return statuses_.at(static_cast<std::size_t>(row)); }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  QVariant display(const tracker::RunRow& run, int row, const QString& key) const;
  QVariant sortValue(const tracker::RunRow& run, int row, const QString& key) const;
  static bool isPartial(const tracker::RunRow& run, const QString& key);  // a live mean of finished folds
  static bool sameContent(const tracker::RunRow& a, const tracker::RunRow& b);

  QStringList columns_;
  std::vector<tracker::RunRow> runs_;
  std::vector<RunStatus> statuses_;  // as displayed: a dead "running" run is "crashed"
  std::unordered_map<std::int64_t, int> rowOfId_;
};

QString columnTitle(const QString& key);

// What a cv/<leaf>/mean column shows while a run trains: the fold fields written as each fold
// ends (fold/<k>/<leaf>), over `total` folds (0 when the run's parameters do not say).
struct PartialStat {
  double mean = 0.0, stddev = 0.0;  // population std, as the finished run's cv/ field
  int done = 0, total = 0;
};
std::optional<PartialStat> partialStat(const tracker::RunRow& run, const QString& meanKey);
// Copies into `row` what partialStat reads from a run still training: its fold/<k>/ fields and
// its kfold.* parameters.
void addFoldProgress(tracker::RunRow& row, const tracker::RunDetail& detail);

}  // namespace foldbench::ui
