#pragma once
// Preferences: the tracker database runs are recorded in, how often live charts redraw, and
// whether BLAS kernels are chosen automatically.
#include <QDialog>

class QCheckBox;
class QLineEdit;
class QSpinBox;

namespace foldbench::ui {

class PreferencesDialog : public QDialog {
  Q_OBJECT
 public:
  explicit PreferencesDialog(QWidget* parent = nullptr);
  void accept() override;

 private:
  QLineEdit* database_;
  QSpinBox* interval_;
  QCheckBox* blasAuto_;
};

}  // namespace foldbench::ui
