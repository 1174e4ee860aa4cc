#include "shared/field_editor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QToolButton>
#include <climits>

#include "widgets/scientific_spin_box.h"

namespace foldbench::ui {

using config::FieldType;
using config::FieldValue;

QString fieldToolTip(const config::FieldSpec& spec) {
  QString tip = QStringLiteral("<b>%1</b><br>%2").arg(QString::fromStdString(spec.key()).toHtmlEscaped(),
                                                      QString::fromStdString(spec.doc).toHtmlEscaped());
  if (!spec.range().empty()) tip += QStringLiteral("<br><i>%1</i>").arg(QString::fromStdString(spec.range()).toHtmlEscaped());
  return tip;
}

FieldEditor::FieldEditor(config::FieldSpec spec, QWidget* parent) : QWidget(parent), spec_(std::move(spec)) { build(); }

namespace {
bool fitsSpinBox(const config::FieldSpec& s) { return s.bounded() && s.min >= INT_MIN && s.max <= INT_MAX; }
}  // namespace

void FieldEditor::build() {
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  switch (spec_.type) {
    case FieldType::Bool: {
      auto* box = new QCheckBox;
      connect(box, &QCheckBox::toggled, this, [this] { if (!updating_) emit valueEdited(); });
      input_ = box;
      break;
    }
    case FieldType::Int:
      if (fitsSpinBox(spec_)) {
        auto* spin = new QSpinBox;
        spin->setRange(static_cast<int>(spec_.min), static_cast<int>(spec_.max));
        spin->setSingleStep(spec_.step > 0 ? static_cast<int>(spec_.step) : 1);
        spin->setKeyboardTracking(false);
        spin->setGroupSeparatorShown(false);
        connect(spin, &QSpinBox::valueChanged, this, [this] { if (!updating_) emit valueEdited(); });
        input_ = spin;
      } else {
        // Seeds and other 64-bit integers: beyond what a spin box holds.
        auto* edit = new QLineEdit;
        edit->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("-?[0-9]{1,19}")), edit));
        connect(edit, &QLineEdit::editingFinished, this, [this] { if (!updating_) emit valueEdited(); });
        input_ = edit;
      }
      break;
    case FieldType::Float: {
      auto* spin = new ScientificSpinBox;
      spin->setRange(spec_.bounded() ? spec_.min : -1e300, spec_.bounded() ? spec_.max : 1e300);
      spin->setSingleStep(spec_.step > 0 ? spec_.step : spec_.bounded() ? (spec_.max - spec_.min) / 100.0 : 1.0);
      spin->setLogarithmicSteps(spec_.logScale);
      connect(spin, &QDoubleSpinBox::valueChanged, this, [this] { if (!updating_) emit valueEdited(); });
      input_ = spin;
      break;
    }
    case FieldType::Choice: {
      auto* combo = new QComboBox;
      for (const auto& c : spec_.choices) combo->addItem(QString::fromStdString(c));
      connect(combo, &QComboBox::currentIndexChanged, this, [this] { if (!updating_) emit valueEdited(); });
      input_ = combo;
      break;
    }
    case FieldType::Text:
    case FieldType::Path: {
      auto* edit = new QLineEdit;
      edit->setClearButtonEnabled(spec_.type == FieldType::Path && !spec_.required);
      connect(edit, &QLineEdit::editingFinished, this, [this] { if (!updating_) emit valueEdited(); });
      input_ = edit;
      if (spec_.type == FieldType::Path) {
        pathEdit_ = edit;
        edit->setMinimumWidth(80);
      }
      break;
    }
  }
  input_->setObjectName(key());
  input_->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
  layout->addWidget(input_);
  if (pathEdit_) {
    auto* browse = new QToolButton;
    browse->setText(QStringLiteral("…"));
    browse->setToolTip(spec_.directory ? tr("Choose a folder") : tr("Choose a file"));
    connect(browse, &QToolButton::clicked, this, &FieldEditor::choosePath);
    layout->addWidget(browse);
  }
  setToolTip(baseToolTip());
  input_->setToolTip(baseToolTip());
  input_->setWhatsThis(baseToolTip());
  setFocusProxy(input_);
}

QString FieldEditor::baseToolTip() const { return fieldToolTip(spec_); }

void FieldEditor::choosePath() {
  const QString current = pathEdit_->text();
  const QString path = spec_.directory
                           ? QFileDialog::getExistingDirectory(this, tr("Choose %1").arg(key()), current)
                           : QFileDialog::getOpenFileName(this, tr("Choose %1").arg(key()), current,
                                                          QString::fromStdString(spec_.fileFilter));
  if (path.isEmpty() || path == current) return;
  pathEdit_->setText(path);
  emit valueEdited();
}

FieldValue FieldEditor::value() const {
  switch (spec_.type) {
    case FieldType::Bool: return static_cast<QCheckBox*>(input_)->isChecked();
    case FieldType::Int:
      if (auto* spin = qobject_cast<QSpinBox*>(input_)) return static_cast<std::int64_t>(spin->value());
      return static_cast<std::int64_t>(static_cast<QLineEdit*>(input_)->text().toLongLong());
    case FieldType::Float: return static_cast<QDoubleSpinBox*>(input_)->value();
    case FieldType::Choice: return static_cast<QComboBox*>(input_)->currentText().toStdString();
    default: return static_cast<QLineEdit*>(input_)->text().toStdString();
  }
}

void FieldEditor::setValue(const FieldValue& v) {
  updating_ = true;
  switch (spec_.type) {
    case FieldType::Bool: static_cast<QCheckBox*>(input_)->setChecked(std::get<bool>(v)); break;
    case FieldType::Int:
      if (auto* spin = qobject_cast<QSpinBox*>(input_)) spin->setValue(static_cast<int>(std::get<std::int64_t>(v)));
      else static_cast<QLineEdit*>(input_)->setText(QString::number(std::get<std::int64_t>(v)));
      break;
    case FieldType::Float: static_cast<QDoubleSpinBox*>(input_)->setValue(std::get<double>(v)); break;
    case FieldType::Choice: {
      auto* combo = static_cast<QComboBox*>(input_);
      const auto text = QString::fromStdString(std::get<std::string>(v));
      if (combo->findText(text) < 0) combo->addItem(text);  // a value outside the choices stays visible (and invalid)
      combo->setCurrentText(text);
      break;
    }
    default: static_cast<QLineEdit*>(input_)->setText(QString::fromStdString(std::get<std::string>(v))); break;
  }
  updating_ = false;
}

void FieldEditor::setProblem(const QString& message) {
  if (message == problem_) return;
  problem_ = message;
  input_->setProperty("invalid", !message.isEmpty());
  input_->setStyleSheet(message.isEmpty() ? QString()
                                          : QStringLiteral("border: 2px solid #d0302f; border-radius: 3px;"));
  const QString tip = message.isEmpty() ? baseToolTip()
                                        : baseToolTip() + QStringLiteral("<br><span style='color:#d0302f'>%1</span>")
                                                              .arg(message.toHtmlEscaped());
  input_->setToolTip(tip);
  setToolTip(tip);
}

}  // namespace foldbench::ui
