#pragma once
// The export dialog: members, vote, weights, the no-relation constant and what it is fitted
// for, test file, format and output file, and, updated as the options change, the
// out-of-fold report: every member, the ensemble in sample and cross-fitted (each labelled
// for what it is), and the per-class change against the best member. Export runs off the GUI
// thread with progress and cancel, never replaces a file without asking, and is recorded in
// the tracker.
#include <QDialog>
#include <QFutureWatcher>
#include <functional>
#include <memory>
#include <optional>

#include "export/export_choices.h"
#include "foldbench/ensemble/export_job.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QStandardItemModel;
class QSplitter;
class QTableView;

namespace foldbench::ui {

class ExportRunner;

class ExportDialog : public QDialog {
  Q_OBJECT
 public:
  // `runKeys`: tracker ids (or run directories); `database`: the tracker file.
  ExportDialog(const QStringList& runKeys, const QString& database, QWidget* parent = nullptr);

  bool isLoaded() const { return runs_ != nullptr; }
  bool hasReport() const { return report_.has_value(); }
  const ensemble::OofReport& report() const { return *report_; }
  QString loadError() const { return loadError_; }
  QString statusText() const;
  bool isExporting() const;

  void setVote(const QString& vote);  // soft | hard | weighted
  void setFitPrior(bool on);
  void setTestPath(const QString& path);
  void setOutputPath(const QString& path);
  QString outputPath() const;
  void startExport();
  void cancelExport();

  // Asked before replacing an existing file; replaceable for tests.
  std::function<bool(const QString& path)> confirmOverwrite;

  QStandardItemModel* reportModel() const { return reportModel_; }
  QTableView* reportTable() const { return reportTable_; }
  QTableView* classTable() const { return classTable_; }
  QStandardItemModel* classModel() const { return classModel_; }

 signals:
  void reportReady();
  void exported(const QString& path, const QString& summary);
  void exportFailed(const QString& message, bool cancelled);

 private:
  ExportChoices choices() const;
  void updateReport();
  void showReport(const ensemble::OofReport& report);
  void updateEnabled();

  QString database_;
  // Work done off the GUI thread: its result, or why there is none.
  template <typename T>
  struct Outcome {
    std::shared_ptr<const T> value;
    QString error;
  };
  std::shared_ptr<const ensemble::LoadedRuns> runs_;  // shared with the report's worker, not copied
  std::optional<ensemble::OofReport> report_;
  QString loadError_;
  QFutureWatcher<Outcome<ensemble::LoadedRuns>> loading_;
  QFutureWatcher<Outcome<ensemble::OofReport>> evaluating_;
  bool reportPending_ = false;
  ExportRunner* runner_;

  QLabel* members_;
  QComboBox *vote_, *weights_, *fitMetric_, *format_;
  QCheckBox* fitPrior_;
  QLineEdit *testPath_, *outPath_;
  QStandardItemModel *reportModel_, *classModel_;
  QTableView *reportTable_, *classTable_;
  QSplitter* split_ = nullptr;
  QLabel* reportNote_;
  QProgressBar* progress_;
  QLabel* status_;
  QPushButton *export_, *cancel_;
};

}  // namespace foldbench::ui
