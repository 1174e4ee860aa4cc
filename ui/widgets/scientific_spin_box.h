#pragma once
// A double spin box that shows 5e-05 as 5e-05 (not 0.00), in the widget's locale, with
// additive or multiplicative (learning rates) steps.
#include <QDoubleSpinBox>

namespace foldbench::ui {

class ScientificSpinBox : public QDoubleSpinBox {
  Q_OBJECT
 public:
  explicit ScientificSpinBox(QWidget* parent = nullptr);
  void setLogarithmicSteps(bool on) { logarithmic_ = on; }

  QString textFromValue(double value) const override;
  double valueFromText(const QString& text) const override;
  QValidator::State validate(QString& text, int& pos) const override;
  void stepBy(int steps) override;

 private:
  bool logarithmic_ = false;
};

}  // namespace foldbench::ui
