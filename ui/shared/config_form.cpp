#include "shared/config_form.h"

#include <QFormLayout>
#include <QLabel>
#include <QMenu>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWhatsThis>

#include "shared/field_editor.h"
#include "foldbench/sweep/sweep_spec.h"
#include "widgets/collapsible_section.h"

namespace foldbench::ui {

QString sectionTitle(const std::string& section) {
  static const QHash<QString, QString> titles = {
      {"data", QObject::tr("Dataset")},     {"tokenizer", QObject::tr("Tokenizer")}, {"input", QObject::tr("Input")},
      {"model", QObject::tr("Model")},      {"train", QObject::tr("Training")},      {"kfold", QObject::tr("K-fold")},
      {"run", QObject::tr("Run")}};
  const QString name = QString::fromStdString(section);
  if (titles.contains(name)) return titles.value(name);
  return name.isEmpty() ? name : name.front().toUpper() + name.mid(1);
}

namespace {
QString fieldLabel(const config::FieldSpec& spec) { return QString::fromStdString(spec.name).replace('_', ' '); }
bool expandedByDefault(const std::string& section) { return section != "tokenizer" && section != "run" && section != "input"; }
}  // namespace

ConfigForm::ConfigForm(std::vector<config::FieldSpec> specs, QWidget* parent) : QWidget(parent), specs_(std::move(specs)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  QFormLayout* current = nullptr;
  std::string currentSection;
  for (const auto& spec : specs_) {
    if (!current || spec.section != currentSection) {
      // Sections appear in declaration order; a section declared twice continues where it was.
      const QString name = QString::fromStdString(spec.section);
      if (auto* existing = sections_.value(name)) {
        current = static_cast<QFormLayout*>(existing->body()->layout());
      } else {
        auto* body = new QWidget;
        current = new QFormLayout(body);
        current->setContentsMargins(8, 2, 2, 6);
        current->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
        current->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
        auto* section = new CollapsibleSection(sectionTitle(spec.section), body, expandedByDefault(spec.section));
        section->setObjectName("section:" + name);
        sections_.insert(name, section);
        layout->addWidget(section);
      }
      currentSection = spec.section;
    }
    addRow(spec, current);
  }
  layout->addStretch(1);
  setConfig(current_);  // the baseline starts equal to the config: no markers
}

void ConfigForm::addRow(const config::FieldSpec& spec, QFormLayout* layout) {
  Row row;
  row.spec = &spec;
  row.layout = layout;
  row.editor = new FieldEditor(spec);
  row.label = new QLabel(fieldLabel(spec));
  row.label->setToolTip(fieldToolTip(spec));
  row.label->setBuddy(row.editor->input());
  row.label->setContextMenuPolicy(Qt::CustomContextMenu);
  row.reset = new QToolButton;
  row.reset->setText(QStringLiteral("↺"));
  row.reset->setAutoRaise(true);
  row.reset->setObjectName("reset:" + row.editor->key());
  row.reset->setToolTip(tr("Reset to the preset's value"));
  // The reset button keeps its space when hidden, so editors do not jump when values change.
  QSizePolicy keep = row.reset->sizePolicy();
  keep.setRetainSizeWhenHidden(true);
  row.reset->setSizePolicy(keep);
  row.rowWidget = new QWidget;
  auto* h = new QHBoxLayout(row.rowWidget);
  h->setContentsMargins(0, 0, 0, 0);
  h->setSpacing(0);
  h->addWidget(row.editor, 1);
  h->addWidget(row.reset);
  layout->addRow(row.label, row.rowWidget);
  const QString key = row.editor->key();
  connect(row.editor, &FieldEditor::valueEdited, this, [this, key] {
    const auto& r = rows_[key];
    emit fieldEdited(key, r.editor->value());
  });
  connect(row.reset, &QToolButton::clicked, this, [this, key] {
    emit fieldEdited(key, rows_[key].spec->get(baseline_));
  });
  connect(row.label, &QLabel::customContextMenuRequested, this,
          [this, key](const QPoint& p) { showLabelMenu(key, rows_[key].label->mapToGlobal(p)); });
  rows_.insert(key, row);
}

void ConfigForm::showLabelMenu(const QString& key, const QPoint& at) {
  const Row& row = rows_[key];
  QMenu menu;
  QAction* reset = menu.addAction(tr("Reset to preset value"), this, [this, key] {
    emit fieldEdited(key, rows_[key].spec->get(baseline_));
  });
  reset->setEnabled(differsFromBaseline(key));
  QAction* sweepAction = menu.addAction(tr("Sweep this field…"), this, [this, key] { emit sweepFieldRequested(key); });
  sweepAction->setObjectName("sweepField");
  try {
    sweep::dimensionFromField(*row.spec);
  } catch (const std::exception& e) {
    sweepAction->setEnabled(false);
    sweepAction->setToolTip(QString::fromUtf8(e.what()));
    menu.setToolTipsVisible(true);
  }
  menu.addAction(tr("What's this?"), this, [row, at] { QWhatsThis::showText(at, fieldToolTip(*row.spec)); });
  menu.exec(at);
}

void ConfigForm::setConfig(const config::ExperimentConfig& config) {
  current_ = config;
  for (auto& row : rows_) {
    row.editor->setValue(row.spec->get(config));
    const bool applies = config::fieldApplies(*row.spec, config, specs_);
    row.layout->setRowVisible(row.rowWidget, applies);
    if (row.detail) row.layout->setRowVisible(row.detail, applies);
  }
  updateMarkers();
}

void ConfigForm::setFieldDetail(const QString& key, QWidget* detail) {
  auto it = rows_.find(key);
  if (it == rows_.end() || it->detail) return;
  int index = -1;
  QFormLayout::ItemRole role;
  it->layout->getWidgetPosition(it->rowWidget, &index, &role);
  it->layout->insertRow(index + 1, detail);
  it->detail = detail;
  it->layout->setRowVisible(detail, isFieldShown(key));
}

void ConfigForm::setReadOnly(bool readOnly) {
  readOnly_ = readOnly;
  for (auto& row : rows_) {
    for (auto* w : row.editor->findChildren<QWidget*>()) {
      w->setAttribute(Qt::WA_TransparentForMouseEvents, readOnly);
      w->setFocusPolicy(readOnly ? Qt::NoFocus : Qt::StrongFocus);
    }
    row.label->setContextMenuPolicy(readOnly ? Qt::NoContextMenu : Qt::CustomContextMenu);
  }
  updateMarkers();
}

void ConfigForm::setBaseline(const config::ExperimentConfig& baseline) {
  baseline_ = baseline;
  updateMarkers();
}

void ConfigForm::setProblems(const std::vector<config::FieldProblem>& problems) {
  QHash<QString, QString> byKey;
  for (const auto& p : problems) {
    auto& text = byKey[QString::fromStdString(p.key)];
    text += (text.isEmpty() ? "" : "; ") + QString::fromStdString(p.message);
  }
  for (auto& row : rows_) row.editor->setProblem(byKey.value(row.editor->key()));
}

void ConfigForm::updateMarkers() {
  for (auto& row : rows_) {
    const bool differs = differsFromBaseline(row.editor->key());
    QFont f = row.label->font();
    f.setBold(differs);
    row.label->setFont(f);
    row.label->setText(differs ? QStringLiteral("● ") + fieldLabel(*row.spec) : fieldLabel(*row.spec));
    row.reset->setVisible(differs && !readOnly_);
  }
}

QStringList ConfigForm::keys() const {
  QStringList out;
  for (const auto& spec : specs_) out << QString::fromStdString(spec.key());
  return out;
}

FieldEditor* ConfigForm::editor(const QString& key) const { return rows_.contains(key) ? rows_[key].editor : nullptr; }

bool ConfigForm::isFieldShown(const QString& key) const {
  if (!rows_.contains(key)) return false;
  const auto& row = rows_[key];
  return config::fieldApplies(*row.spec, current_, specs_);
}

bool ConfigForm::differsFromBaseline(const QString& key) const {
  if (!rows_.contains(key)) return false;
  const auto* spec = rows_[key].spec;
  return spec->get(current_) != spec->get(baseline_);
}

}  // namespace foldbench::ui
