#pragma once
// Reads the model folder of model.pretrained_path off the GUI thread, as training will open it:
// config.json, the weights' names, dtypes and shapes, the tokenizer (a 250k vocabulary takes
// ~100 ms). Also measures this machine's sgemm rate once, for the time-per-epoch estimate. Only
// the newest request's result is delivered, as DatasetCheck does.
#include <QFutureWatcher>
#include <QObject>
#include <string>
#include <utility>
#include <vector>

#include "foldbench/pretrained/encoder_config.h"

namespace foldbench::ui {

struct ModelFolderSnapshot {
  std::string directory;
  bool usable = false;
  std::string error;  // why the folder is not a model folder, when !usable
  // pretrained::ModelSummary's labelled facts and problem (set: the folder cannot be trained as it is).
  std::vector<std::pair<std::string, std::string>> facts;
  std::string problem;
  pretrained::EncoderConfig config;
  double sgemmGflops = 0;  // platform::measureSgemm(1024), measured once per process
};

// Never throws: a refusal is reported in the snapshot.
ModelFolderSnapshot loadModelFolderSnapshot(const std::string& directory);

class ModelFolderCheck : public QObject {
  Q_OBJECT
 public:
  explicit ModelFolderCheck(QObject* parent = nullptr);
  ~ModelFolderCheck() override;

  void request(const QString& directory);
  bool isBusy() const { return watcher_.isRunning() || hasPending_; }
  const ModelFolderSnapshot& latest() const { return latest_; }

 signals:
  void checked(const foldbench::ui::ModelFolderSnapshot& snapshot);

 private:
  void startPending();
  QFutureWatcher<ModelFolderSnapshot> watcher_;
  QString pending_;
  bool hasPending_ = false;
  ModelFolderSnapshot latest_;
};

}  // namespace foldbench::ui
