#pragma once
// Preferences: the tracker database runs are recorded in, and how often live charts redraw.
#include <QDialog>

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
};

}  // namespace foldbench::ui
