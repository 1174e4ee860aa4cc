#pragma once
// The experiment form, generated from the field declaration: one collapsible section per
// config section, one row per field with its editor, a marker and a reset button when the
// value differs from the baseline (the preset), fields that do not apply hidden, problems
// marked on their field. No field is placed by hand: a declared field appears here.
#include <QHash>
#include <QWidget>
#include <vector>

#include "foldbench/config/field_spec.h"

class QFormLayout;
class QLabel;
class QToolButton;

namespace foldbench::ui {

class CollapsibleSection;
class FieldEditor;

class ConfigForm : public QWidget {
  Q_OBJECT
 public:
  explicit ConfigForm(std::vector<config::FieldSpec> specs = config::fieldSpecs(), QWidget* parent = nullptr);

  // Shows every value of `config` (emits nothing) and which fields apply.
  void setConfig(const config::ExperimentConfig& config);
  // The values the diff markers and reset buttons compare with.
  void setBaseline(const config::ExperimentConfig& baseline);
  void setProblems(const std::vector<config::FieldProblem>& problems);
  // Shows values without letting them change (a recorded run's config): editors keep their
  // normal look but take no input, and reset buttons stay hidden.
  void setReadOnly(bool readOnly);
  bool isReadOnly() const { return readOnly_; }

  QStringList keys() const;
  FieldEditor* editor(const QString& key) const;
  bool isFieldShown(const QString& key) const;
  bool differsFromBaseline(const QString& key) const;
  CollapsibleSection* section(const QString& name) const { return sections_.value(name); }
  // Places `detail` under the field's row, across the form's width, shown when the field is.
  void setFieldDetail(const QString& key, QWidget* detail);

 signals:
  // The user changed `key` to `value` (typing, picking, or resetting it).
  void fieldEdited(const QString& key, const foldbench::config::FieldValue& value);
  // "Sweep this field…" on the field's context menu (numbers with a declared range, choices, switches).
  void sweepFieldRequested(const QString& key);

 private:
  struct Row {
    const config::FieldSpec* spec = nullptr;
    FieldEditor* editor = nullptr;
    QLabel* label = nullptr;
    QToolButton* reset = nullptr;
    QFormLayout* layout = nullptr;
    QWidget* rowWidget = nullptr;
    QWidget* detail = nullptr;  // setFieldDetail
  };
  void addRow(const config::FieldSpec& spec, QFormLayout* layout);
  void updateMarkers();
  void showLabelMenu(const QString& key, const QPoint& at);

  std::vector<config::FieldSpec> specs_;
  QHash<QString, Row> rows_;
  QHash<QString, CollapsibleSection*> sections_;
  config::ExperimentConfig current_, baseline_;
  bool readOnly_ = false;
};

QString sectionTitle(const std::string& section);

}  // namespace foldbench::ui
