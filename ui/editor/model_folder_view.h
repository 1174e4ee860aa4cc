#pragma once
// What the model-folder picker found, shown under model.pretrained_path before Start: the facts
// `foldbench-cli model inspect` prints (model type and sizes, parameters, weights, vocabulary,
// tokenizer, max tokens, ignored tensors), or in red why the folder is not a usable model folder;
// and an estimate of the time per epoch on this machine.
#include <QWidget>

#include "editor/model_folder_check.h"
#include "foldbench/config/experiment_config.h"

class QLabel;

namespace foldbench::ui {

// What the estimate needs besides the folder: the config and the rows of the checked data (0: unknown).
struct EpochEstimateText {
  QString text, toolTip;
};
EpochEstimateText describeEpochEstimate(const ModelFolderSnapshot& model, const config::ExperimentConfig& config,
                                        std::size_t dataRows);
// "40 s", "35 min", "8.5 h".
QString roughDuration(double seconds);

class ModelFolderView : public QWidget {
  Q_OBJECT
 public:
  explicit ModelFolderView(QWidget* parent = nullptr);

  void showEmpty(const QString& why);
  void showChecking(const QString& directory);
  void showSnapshot(const ModelFolderSnapshot& snapshot);
  void setEstimate(const EpochEstimateText& estimate);

  QString factsText() const;     // as plain text, for tests
  QString estimateText() const;
  bool showsError() const { return error_; }

 private:
  QLabel* facts_;
  QLabel* estimate_;
  bool error_ = false;
};

}  // namespace foldbench::ui
