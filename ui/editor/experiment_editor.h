#pragma once
// The experiment dock: preset, the generated form, the dataset check of the chosen files and
// the problems that keep Start disabled. Every edit is an undoable command.
#include <QUndoStack>
#include <QWidget>

#include "editor/dataset_snapshot.h"
#include "editor/model_folder_check.h"
#include "foldbench/config/field_spec.h"

class QComboBox;
class QLabel;

namespace foldbench::ui {

class ConfigForm;
class DatasetCheck;
class ModelFolderView;

class ExperimentEditor : public QWidget {
  Q_OBJECT
 public:
  explicit ExperimentEditor(QWidget* parent = nullptr);

  // Where relative data paths of the presets are looked up when the working directory lacks them.
  void setResourceDirs(const QString& sampleDataDir, const QString& sourceDir);

  const config::ExperimentConfig& config() const { return config_; }
  // Replaces the whole config (undoable); `baselineName` names what the diff markers compare with.
  void setConfig(const config::ExperimentConfig& config, const QString& baselineName);
  void applyPreset(const QString& name);
  // Sets one field as the user would (undoable); false when the key is unknown or the type wrong.
  bool setFieldValue(const QString& key, const config::FieldValue& value);
  // Several fields in one undoable step; false (and nothing changes) when any key or type is wrong.
  bool setFieldValues(const std::vector<std::pair<QString, config::FieldValue>>& values);
  // Shows a data check already made for `snapshot.path` with `snapshot.labelsPath`, so that
  // choosing those files does not check them again.
  void adoptDatasetCheck(const DatasetSnapshot& snapshot);
  bool loadFile(const QString& path, QString* error);
  bool saveFile(const QString& path, QString* error) const;

  // Declared checks, plus data files that do not exist.
  std::vector<config::FieldProblem> problems() const { return problems_; }
  bool isValid() const { return problems_.empty(); }
  QString problemsText() const;
  QString baselineName() const { return baselineName_; }

  ConfigForm* form() const { return form_; }
  QUndoStack* undoStack() { return &undo_; }
  DatasetCheck* datasetCheck() const { return check_; }
  QString datasetSummaryText() const;
  // The model-folder picker's read-out under model.pretrained_path, and its off-thread check.
  ModelFolderView* modelFolderView() const { return modelView_; }
  ModelFolderCheck* modelFolderCheck() const { return modelCheck_; }

 signals:
  void configChanged();
  void validityChanged(bool valid, const QString& reason);
  void datasetChecked(const foldbench::ui::DatasetSnapshot& snapshot);

 private:
  friend class ConfigCommand;
  // Applied by the undo commands.
  void assign(const config::ExperimentConfig& config, const config::ExperimentConfig& baseline, const QString& baselineName);
  void revalidate();
  void requestDatasetCheck();
  void showSnapshot(const DatasetSnapshot& snapshot);
  void requestModelCheck();
  void showModelSnapshot(const ModelFolderSnapshot& snapshot);
  void updateModelEstimate();
  config::ExperimentConfig resolvePaths(config::ExperimentConfig config) const;

  config::ExperimentConfig config_, baseline_;
  QString baselineName_;
  std::vector<config::FieldProblem> problems_;
  QUndoStack undo_;
  QComboBox* preset_;
  ConfigForm* form_;
  QLabel* datasetSummary_;
  QLabel* problemsLabel_;
  DatasetCheck* check_;
  ModelFolderCheck* modelCheck_;
  ModelFolderView* modelView_;
  QString checkedModel_;
  QString sampleDir_, sourceDir_;
  QString checkedTrain_, checkedLabels_;
  bool lastValid_ = false;
  QString lastReason_;
};

}  // namespace foldbench::ui
