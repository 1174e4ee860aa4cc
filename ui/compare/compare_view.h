#pragma once
// The Compare tab: two or more runs side by side. Curves overlaid (one colour per run, the
// fold mean bold and each fold thin), parameters (only the differing ones unless asked),
// fold scores and out-of-fold scores, and the significance tests of each run against the
// first, or the reason a test does not apply. The numbers come from analysis::compareRuns,
// as `foldbench-cli runs compare` prints them.
#include <QList>
#include <QWidget>
#include <map>
#include <vector>

#include "foldbench/analysis/run_comparison.h"
#include "foldbench/tracker/records.h"

class QCheckBox;
class QComboBox;
class QCustomPlot;
class QLabel;
class QStandardItemModel;
class QTableView;
class QTextBrowser;

namespace foldbench::ui {

class TrackerReader;

class CompareView : public QWidget {
  Q_OBJECT
 public:
  explicit CompareView(TrackerReader* store, QWidget* parent = nullptr);

  void compare(const QList<qint64>& ids);
  const QList<qint64>& runIds() const { return ids_; }
  bool hasComparison() const { return comparison_.has_value(); }
  const analysis::RunComparison& comparison() const { return *comparison_; }
  void setOnlyDifferences(bool only);
  void setMetric(const QString& seriesLeaf);  // "val/acc", "train/loss", ...

  QStandardItemModel* parameterModel() const { return params_; }
  QStandardItemModel* scoreModel() const { return scores_; }
  QStandardItemModel* testModel() const { return tests_; }
  QTableView* parameterTable() const { return paramTable_; }
  QCustomPlot* chart() const { return chart_; }

 signals:
  void compared();
  void message(const QString& text);

 private:
  struct Loaded {
    analysis::RunComparison comparison;
    std::vector<tracker::RunInfo> infos;
    // run -> series leaf ("val/acc") -> fold -> points
    std::vector<std::map<std::string, std::map<int, tracker::Series>>> curves;
  };
  void apply(Loaded loaded);
  void fillParameters();
  void fillScores();
  void fillTests();
  void drawCurves();

  TrackerReader* store_;
  QList<qint64> ids_;
  std::optional<analysis::RunComparison> comparison_;
  std::vector<tracker::RunInfo> infos_;
  std::vector<std::map<std::string, std::map<int, tracker::Series>>> curves_;

  QLabel* heading_;
  QComboBox* metric_;
  QCheckBox* onlyDifferences_;
  QCustomPlot* chart_;
  QStandardItemModel *params_, *scores_, *tests_;
  QTableView *paramTable_, *testTable_ = nullptr, *scoreTable_ = nullptr;
  QTextBrowser* testText_;
};

}  // namespace foldbench::ui
