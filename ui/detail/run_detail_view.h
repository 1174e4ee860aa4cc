#pragma once
// The Run tab: one run as the tracker holds it. Folds, averages, per-epoch curves of every
// fold, the config (the editor's form, read-only, marked against the nearest preset), tags
// and notes, artifacts, and from the out-of-fold predictions a confusion matrix, per-class
// scores and the rows behind any cell. A run that is still training grows here as it trains:
// only the new points of its series are read.
#include <QWidget>
#include <map>
#include <optional>

#include "foldbench/analysis/classification_report.h"
#include "foldbench/analysis/oof_predictions.h"
#include "foldbench/tracker/records.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSplitter;
class QStandardItemModel;
class QTabWidget;
class QTableView;

namespace foldbench::ui {

class ConfigForm;
class ConfusionMatrixPlot;
class ConfusionMatrixView;
class ExamplesBrowser;
class FoldChart;
class TrackerReader;

class RunDetailView : public QWidget {
  Q_OBJECT
 public:
  explicit RunDetailView(TrackerReader* store, QWidget* parent = nullptr);

  void showRun(qint64 id);
  qint64 runId() const { return id_; }
  bool hasRun() const { return id_ > 0 && detail_.id == id_; }
  const tracker::RunDetail& detail() const { return detail_; }
  RunStatus displayedStatus() const { return status_; }
  const std::optional<analysis::ClassificationReport>& report() const { return report_; }
  // The rows of a confusion-matrix cell, as a click lists them.
  void showCell(int gold, int predicted);

  QStandardItemModel* foldModel() const { return folds_; }
  QStandardItemModel* classModel() const { return classes_; }
  QStandardItemModel* artifactModel() const { return artifacts_; }
  ConfusionMatrixPlot* confusionMatrix() const;
  ConfusionMatrixView* confusionMatrixView() const { return matrix_; }
  QTableView* classTable() const { return classTable_; }
  ExamplesBrowser* examples() const { return examples_; }
  ConfigForm* configForm() const { return form_; }
  FoldChart* accuracyChart() const { return accuracy_; }
  QTabWidget* pages() const { return pages_; }
  int loadCount() const { return loads_; }

 signals:
  void loaded();
  void exportRequested(const QList<qint64>& ids);
  void message(const QString& text);

 private:
  struct Update;  // what one read brings back
  void reload();
  void apply(Update update);
  void fillHeader();
  void fillFolds();
  void fillFields();
  void fillArtifacts();
  void fillConfig();
  void fillNotes();
  void applySeries(const std::map<std::string, tracker::Series>& series);
  void applyOof(const analysis::OofPredictions& oof);
  void fitClassTable();
  void applyTags();
  void addNote();

  TrackerReader* store_;
  qint64 id_ = 0;
  tracker::RunDetail detail_;
  RunStatus status_ = RunStatus::Running;
  std::map<std::string, std::int64_t> lastStep_, seriesCounts_;  // per drawn series
  std::optional<analysis::OofPredictions> oof_;
  std::optional<analysis::ClassificationReport> report_;
  bool reading_ = false, pending_ = false;
  int loads_ = 0;

  QLabel* title_;
  QLabel* summary_;
  QTabWidget* pages_;
  QStandardItemModel *folds_, *fields_, *classes_, *artifacts_;
  QTableView *foldTable_ = nullptr, *fieldTable_ = nullptr, *classTable_ = nullptr, *artifactTable_ = nullptr;
  FoldChart *accuracy_, *loss_;
  ConfusionMatrixView* matrix_;
  QSplitter* errorsSplit_ = nullptr;  // the matrix | the per-class table and the rows
  QCheckBox* normalise_;
  QLabel* oofSummary_;
  ExamplesBrowser* examples_;
  ConfigForm* form_;
  QLabel* configNote_;
  QLineEdit* tags_;
  QListWidget* notes_;
  QLineEdit* newNote_;
};

}  // namespace foldbench::ui
