#pragma once
// The editor of one declared field, chosen by its type: check box, spin box with the declared
// range and step, combo box of the choices, line edit, or a path with a file picker. Its
// documentation is the tooltip and "What's this"; a problem marks it red.
#include <QWidget>

#include "foldbench/config/field_spec.h"

class QLineEdit;

namespace foldbench::ui {

class FieldEditor : public QWidget {
  Q_OBJECT
 public:
  FieldEditor(config::FieldSpec spec, QWidget* parent = nullptr);

  const config::FieldSpec& spec() const { return spec_; }
  QString key() const { return QString::fromStdString(spec_.key()); }
  config::FieldValue value() const;
  // Shows `value` without emitting valueEdited.
  void setValue(const config::FieldValue& value);
  // Empty: valid.
  void setProblem(const QString& message);
  QString problem() const { return problem_; }
  // The input widget itself (object name: the field's key), for focus and tests.
  QWidget* input() const { return input_; }

 signals:
  void valueEdited();

 private:
  void build();
  void choosePath();
  QString baseToolTip() const;

  config::FieldSpec spec_;
  QWidget* input_ = nullptr;
  QLineEdit* pathEdit_ = nullptr;
  QString problem_;
  bool updating_ = false;
};

QString fieldToolTip(const config::FieldSpec& spec);

}  // namespace foldbench::ui
