#pragma once
// The Runs tab: every run of the tracker in a sortable table, filtered with the tracker's
// filter syntax (errors shown under the field), columns chosen by the user and remembered,
// following the database as runs are written by this window or any other process.
#include <QElapsedTimer>
#include <QList>
#include <QWidget>
#include <functional>
#include <vector>

#include "foldbench/tracker/records.h"

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QTimer;
class QToolButton;

namespace foldbench::ui {

class RunsTableModel;
class TrackerReader;

class RunsView : public QWidget {
  Q_OBJECT
 public:
  explicit RunsView(TrackerReader* store, QWidget* parent = nullptr);

  void setFilter(const QString& text);  // as if typed, applied at once
  QString filterError() const;
  void addColumn(const QString& key);
  void resetColumns();
  QList<qint64> selectedRunIds() const;
  void selectRun(qint64 id);

  // User actions, also reachable from the context menu.
  void tagRuns(const QList<qint64>& ids, const QStringList& tags);
  void addNote(qint64 id, const QString& text);
  void renameRun(qint64 id, const QString& name);
  // Asks `confirm`, then deletes; false when refused (a running run) or not confirmed.
  bool deleteRuns(const QList<qint64>& ids);
  // Deletes the checkpoints of `ids` after confirming the bytes it frees; the runs stay.
  void pruneRuns(const QList<qint64>& ids);

  // Asked before deleting; replaceable for tests.
  std::function<bool(const QString& title, const QString& question)> confirm;

  RunsTableModel* model() const { return model_; }
  QSortFilterProxyModel* proxy() const { return proxy_; }
  QTableView* table() const { return table_; }
  int listCount() const { return listCount_; }          // completed reads, for tests
  double lastListMilliseconds() const { return lastListMs_; }

 signals:
  void openRequested(qint64 id);
  void compareRequested(const QList<qint64>& ids);
  void cloneRequested(const QString& configJson);
  void exportRequested(const QList<qint64>& ids);       // the export dialog
  void quickExportRequested(const QList<qint64>& ids);  // last settings, a new file
  void listed();
  void message(const QString& text);  // for the log

 protected:
  void showEvent(QShowEvent* event) override;

 public slots:
  void refresh();

 private:
  struct Listing {
    std::vector<tracker::RunRow> rows;
    std::vector<std::int64_t> touched;  // touched runs regardless of the filter (incremental reads)
  };
  void read(bool full);
  // Cluster runs whose Slurm jobs are all gone without a merge: marked failed (squeue, when
  // this machine has it).
  void settleAbandonedClusterRuns();
  void followChange();
  void applyFilterText();
  void showContextMenu(const QPoint& at);
  void showColumnMenu();
  void saveColumns();
  void fitColumns();
  void reportWrite(const QString& error, const QString& done);

  TrackerReader* store_;
  RunsTableModel* model_;
  QSortFilterProxyModel* proxy_;
  QTableView* table_;
  QLineEdit* filter_;
  QLabel* filterError_;
  QLabel* count_;
  QToolButton* columnsButton_;
  QTimer* filterDelay_;
  QString activeFilter_;
  bool reading_ = false, pending_ = false, pendingFull_ = false;
  double lastReadStarted_ = 0.0;
  QElapsedTimer lastFullRead_;
  bool headerRestored_ = false, fitting_ = false, columnsChanged_ = false;
  int listCount_ = 0;
  double lastListMs_ = 0.0;
  QElapsedTimer listClock_;
};

}  // namespace foldbench::ui
