#include "widgets/scientific_spin_box.h"

#include <cmath>

namespace foldbench::ui {

ScientificSpinBox::ScientificSpinBox(QWidget* parent) : QDoubleSpinBox(parent) {
  setDecimals(15);  // the range check keeps full precision; the text is shortened below
  setKeyboardTracking(false);
}

QString ScientificSpinBox::textFromValue(double value) const {
  QString text = locale().toString(value, 'g', 8);
  return text.remove(locale().groupSeparator());
}

double ScientificSpinBox::valueFromText(const QString& text) const {
  bool ok = false;
  const double v = locale().toDouble(text.trimmed(), &ok);
  return ok ? v : value();
}

QValidator::State ScientificSpinBox::validate(QString& text, int&) const {
  const QString t = text.trimmed();
  if (t.isEmpty()) return QValidator::Intermediate;
  bool ok = false;
  const double v = locale().toDouble(t, &ok);
  if (!ok) {
    // Half-typed numbers: "1e", "-", "0,".
    static const QString partial = QStringLiteral("+-eE");
    return partial.contains(t.back()) || t.back() == locale().decimalPoint().front() ? QValidator::Intermediate
                                                                                      : QValidator::Invalid;
  }
  return v >= minimum() && v <= maximum() ? QValidator::Acceptable : QValidator::Intermediate;
}

void ScientificSpinBox::stepBy(int steps) {
  if (!logarithmic_) {
    QDoubleSpinBox::stepBy(steps);
    return;
  }
  const double v = value() > 0 ? value() : std::max(minimum(), 1e-6);
  setValue(std::clamp(v * std::pow(2.0, steps), minimum(), maximum()));
}

}  // namespace foldbench::ui
