#pragma once
#include <QMainWindow>

namespace foldbench::ui {

class DatasetPanel;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);

  // Loads a dataset (and optionally its label map) and shows its summary; false when unusable.
  bool openDataset(const QString& path, const QString& labelsPath = {});
  DatasetPanel* datasetPanel() const { return panel_; }

 private:
  void chooseDataset();
  void chooseLabelMap();
  void reload();
  void createActions();

  DatasetPanel* panel_;
  QString datasetPath_;
  QString labelsPath_;
};

}  // namespace foldbench::ui
