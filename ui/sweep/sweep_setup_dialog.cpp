#include "sweep/sweep_setup_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <climits>
#include <cmath>

#include "widgets/scientific_spin_box.h"

namespace foldbench::ui {

namespace {
template <typename E>
void fillCombo(QComboBox* combo) {
  for (const auto& [value, name] : EnumNames<E>::all()) combo->addItem(QString::fromLatin1(name), static_cast<int>(value));
}
QString samplerHelp(sweep::SamplerKind s) {
  switch (s) {
    case sweep::SamplerKind::Random: return QObject::tr("independent uniform draws (in the logarithm on log ranges)");
    case sweep::SamplerKind::QuasiRandom: return QObject::tr("a scrambled Halton sequence: covers the space evenly");
    case sweep::SamplerKind::Tpe: return QObject::tr("quasi-random start, then the tree-structured Parzen estimator");
  }
  return {};
}
}  // namespace

SweepSetupDialog::SweepSetupDialog(QWidget* parent)
    : QDialog(parent),
      grid_(new QGridLayout),
      empty_(new QLabel(tr("No field yet: right-click a field of the experiment form and choose Sweep this field…, "
                           "or add one here."))),
      addable_(new QComboBox),
      name_(new QLineEdit),
      sampler_(new QComboBox),
      startup_(new QSpinBox),
      trials_(new QSpinBox),
      minutes_(new QSpinBox),
      test_(new QComboBox),
      alpha_(new QDoubleSpinBox),
      minFolds_(new QSpinBox),
      seed_(new QSpinBox),
      problems_(new QLabel),
      error_(new QLabel),
      start_(new QPushButton(tr("Start Sweep"))) {
  setWindowTitle(tr("Sweep"));
  setObjectName("sweepSetupDialog");

  auto* space = new QGroupBox(tr("Search space"));
  auto* spaceLayout = new QVBoxLayout(space);
  grid_->setColumnStretch(1, 1);
  grid_->setColumnStretch(3, 1);
  grid_->setHorizontalSpacing(6);
  empty_->setWordWrap(true);
  empty_->setStyleSheet("color: palette(placeholder-text);");
  spaceLayout->addWidget(empty_);
  spaceLayout->addLayout(grid_);
  auto* addRow = new QHBoxLayout;
  addable_->setObjectName("sweepAddField");
  addable_->setToolTip(tr("Numbers with a declared range, choices and switches can be swept"));
  auto* add = new QPushButton(tr("Add Field"));
  connect(add, &QPushButton::clicked, this, [this] {
    QString error;
    if (!addable_->currentText().isEmpty() && !addField(addable_->currentText(), &error)) showError(error);
  });
  addRow->addWidget(addable_, 1);
  addRow->addWidget(add);
  spaceLayout->addLayout(addRow);

  auto* search = new QGroupBox(tr("Search"));
  auto* form = new QFormLayout(search);
  fillCombo<sweep::SamplerKind>(sampler_);
  sampler_->setObjectName("sweepSampler");
  startup_->setRange(1, 1000);
  startup_->setValue(sweep::SweepSpec{}.startupTrials);
  startup_->setToolTip(tr("TPE: quasi-random trials before the estimator takes over"));
  auto* samplerRow = new QHBoxLayout;
  samplerRow->addWidget(sampler_, 1);
  samplerRow->addWidget(new QLabel(tr("start with")));
  samplerRow->addWidget(startup_);
  samplerRow->addWidget(new QLabel(tr("quasi-random")));
  form->addRow(tr("Sampler"), samplerRow);
  trials_->setRange(0, 100000);
  trials_->setSpecialValueText(tr("no limit"));
  trials_->setValue(sweep::SweepSpec{}.maxTrials);
  trials_->setObjectName("sweepTrials");
  minutes_->setRange(0, 100000);
  minutes_->setSuffix(tr(" min"));
  minutes_->setSpecialValueText(tr("no limit"));
  minutes_->setObjectName("sweepMinutes");
  auto* budget = new QHBoxLayout;
  budget->addWidget(new QLabel(tr("trials")));
  budget->addWidget(trials_, 1);
  budget->addWidget(new QLabel(tr("time")));
  budget->addWidget(minutes_, 1);
  form->addRow(tr("Budget"), budget);
  fillCombo<sweep::RaceTest>(test_);
  test_->setObjectName("sweepRaceTest");
  test_->setToolTip(tr("After each fold from the second on, the trial is compared with the incumbent on the folds both "
                       "trained; it is pruned when the one-sided p-value of \"worse\" falls below alpha.\n"
                       "none: every trial trains every fold; t-test: the corrected resampled t-test (Nadeau and Bengio); "
                       "wilcoxon: the exact signed-rank test"));
  alpha_->setRange(0.001, 0.5);
  alpha_->setDecimals(3);
  alpha_->setSingleStep(0.01);
  alpha_->setObjectName("sweepAlpha");
  minFolds_->setRange(2, 100);
  auto* racing = new QHBoxLayout;
  racing->addWidget(test_, 1);
  racing->addWidget(new QLabel(tr("alpha")));
  racing->addWidget(alpha_);
  racing->addWidget(new QLabel(tr("after")));
  racing->addWidget(minFolds_);
  racing->addWidget(new QLabel(tr("folds")));
  form->addRow(tr("Racing"), racing);
  seed_->setRange(0, INT_MAX);
  seed_->setValue(1);
  form->addRow(tr("Seed"), seed_);
  name_->setObjectName("sweepName");
  form->addRow(tr("Name"), name_);
  setRacing(sweep::RacingRule{}.test, sweep::RacingRule{}.alpha, sweep::RacingRule{}.minFolds);
  test_->setCurrentIndex(test_->findData(static_cast<int>(sweep::RacingRule{}.test)));
  sampler_->setCurrentIndex(sampler_->findData(static_cast<int>(sweep::SweepSpec{}.sampler)));

  problems_->setObjectName("sweepProblems");
  problems_->setWordWrap(true);
  problems_->setStyleSheet("color: #c0392b;");
  error_->setObjectName("sweepError");
  error_->setWordWrap(true);
  error_->setStyleSheet("color: #c0392b; font-weight: bold;");
  error_->hide();

  auto* buttons = new QDialogButtonBox;
  start_->setObjectName("sweepStart");
  start_->setDefault(true);
  buttons->addButton(start_, QDialogButtonBox::AcceptRole);
  buttons->addButton(QDialogButtonBox::Close);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(start_, &QPushButton::clicked, this, [this] {
    error_->hide();
    revalidate();
    if (problems().isEmpty()) emit startRequested();
  });

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(space);
  layout->addWidget(search);
  layout->addWidget(problems_);
  layout->addWidget(error_);
  layout->addStretch(1);
  layout->addWidget(buttons);

  const auto changed = [this] { revalidate(); };
  connect(sampler_, &QComboBox::currentIndexChanged, this, changed);
  connect(test_, &QComboBox::currentIndexChanged, this, changed);
  connect(trials_, &QSpinBox::valueChanged, this, changed);
  connect(minutes_, &QSpinBox::valueChanged, this, changed);
  connect(name_, &QLineEdit::textEdited, this, [this] {
    nameEdited_ = true;
    revalidate();
  });
  setMinimumWidth(560);
  refreshAddable();
  revalidate();
}

void SweepSetupDialog::setBase(const config::ExperimentConfig& base) {
  base_ = base;
  if (!nameEdited_) {
    const QString run = QString::fromStdString(base.run.name.empty() ? std::string("sweep") : base.run.name);
    name_->setText(QStringLiteral("%1-sweep-%2").arg(run, QDateTime::currentDateTime().toString("MMdd-hhmmss")));
  }
  revalidate();
}

SweepSetupDialog::Row* SweepSetupDialog::row(const QString& key) {
  for (auto& r : rows_)
    if (QString::fromStdString(r.dimension.key) == key) return &r;
  return nullptr;
}

bool SweepSetupDialog::addField(const QString& key, QString* error) {
  if (row(key)) return true;
  const auto* field = config::findField(key.toStdString());
  if (!field) {
    if (error) *error = tr("'%1' is not a config field").arg(key);
    return false;
  }
  Row r;
  try {
    r.dimension = sweep::dimensionFromField(*field);
  } catch (const std::exception& e) {
    if (error) *error = QString::fromUtf8(e.what());
    return false;
  }
  const int line = grid_->rowCount();
  r.label = new QLabel(QStringLiteral("<b>%1</b>").arg(key.toHtmlEscaped()));
  r.label->setToolTip(QString::fromStdString(field->doc));
  grid_->addWidget(r.label, line, 0);
  const auto& d = r.dimension;
  if (d.kind == sweep::DimensionKind::Choice) {
    r.choices = new QLineEdit;
    r.choices->setObjectName("choices:" + key);
    QStringList all;
    for (const auto& c : d.choices) all << QString::fromStdString(c);
    r.choices->setText(all.join(QStringLiteral(", ")));
    r.choices->setToolTip(tr("The values to try, separated by commas; declared: %1").arg(all.join(QStringLiteral(", "))));
    connect(r.choices, &QLineEdit::textEdited, this, [this] { revalidate(); });
    grid_->addWidget(r.choices, line, 1, 1, 4);
  } else {
    const auto number = [&](double value) -> QWidget* {
      if (d.kind == sweep::DimensionKind::Int) {
        auto* spin = new QSpinBox;
        spin->setRange(static_cast<int>(std::max<double>(INT_MIN, field->min)), static_cast<int>(std::min<double>(INT_MAX, field->max)));
        spin->setValue(static_cast<int>(value));
        spin->setGroupSeparatorShown(false);
        connect(spin, &QSpinBox::valueChanged, this, [this] { revalidate(); });
        return spin;
      }
      auto* spin = new ScientificSpinBox;
      spin->setRange(field->min, field->max);
      spin->setLogarithmicSteps(d.log);
      spin->setSingleStep(field->step > 0 ? field->step : (field->max - field->min) / 100.0);
      spin->setValue(value);
      connect(spin, &QDoubleSpinBox::valueChanged, this, [this] { revalidate(); });
      return spin;
    };
    r.low = number(d.low);
    r.low->setObjectName("low:" + key);
    r.high = number(d.high);
    r.high->setObjectName("high:" + key);
    r.log = new QCheckBox(tr("log"));
    r.log->setObjectName("log:" + key);
    r.log->setChecked(d.log);
    r.log->setEnabled(d.low > 0.0);
    r.log->setToolTip(tr("Draw uniformly in the logarithm (needs a positive range)"));
    connect(r.log, &QCheckBox::toggled, this, [this] { revalidate(); });
    grid_->addWidget(r.low, line, 1);
    r.dots = new QLabel(QStringLiteral(".."));
    grid_->addWidget(r.dots, line, 2);
    grid_->addWidget(r.high, line, 3);
    grid_->addWidget(r.log, line, 4);
  }
  r.remove = new QPushButton(QStringLiteral("✕"));
  r.remove->setFlat(true);
  r.remove->setToolTip(tr("Do not sweep %1").arg(key));
  r.remove->setFixedWidth(r.remove->fontMetrics().horizontalAdvance(QStringLiteral("✕")) + 14);
  connect(r.remove, &QPushButton::clicked, this, [this, key] { removeField(key); });
  grid_->addWidget(r.remove, line, 5);
  rows_.push_back(r);
  refreshAddable();
  revalidate();
  return true;
}

void SweepSetupDialog::removeField(const QString& key) {
  for (auto it = rows_.begin(); it != rows_.end(); ++it) {
    if (QString::fromStdString(it->dimension.key) != key) continue;
    for (QWidget* w : std::initializer_list<QWidget*>{it->label, it->low, it->high, it->log, it->choices, it->dots, it->remove}) {
      if (!w) continue;
      grid_->removeWidget(w);
      w->deleteLater();
    }
    rows_.erase(it);
    break;
  }
  refreshAddable();
  revalidate();
}

QStringList SweepSetupDialog::fields() const {
  QStringList out;
  for (const auto& r : rows_) out << QString::fromStdString(r.dimension.key);
  return out;
}

void SweepSetupDialog::setRange(const QString& key, double low, double high, bool log) {
  Row* r = row(key);
  if (!r || !r->low) return;
  if (auto* spin = qobject_cast<QSpinBox*>(r->low)) {
    spin->setValue(static_cast<int>(std::lround(low)));
    static_cast<QSpinBox*>(r->high)->setValue(static_cast<int>(std::lround(high)));
  } else {
    static_cast<QDoubleSpinBox*>(r->low)->setValue(low);
    static_cast<QDoubleSpinBox*>(r->high)->setValue(high);
  }
  r->log->setEnabled(low > 0.0);
  r->log->setChecked(log && low > 0.0);
  revalidate();
}

void SweepSetupDialog::setChoices(const QString& key, const QStringList& choices) {
  Row* r = row(key);
  if (!r || !r->choices) return;
  r->choices->setText(choices.join(QStringLiteral(", ")));
  revalidate();
}

void SweepSetupDialog::setName(const QString& name) {
  name_->setText(name);
  nameEdited_ = true;
  revalidate();
}

void SweepSetupDialog::setSampler(sweep::SamplerKind sampler) {
  sampler_->setCurrentIndex(sampler_->findData(static_cast<int>(sampler)));
}

void SweepSetupDialog::setBudget(int trials, double minutes) {
  trials_->setValue(trials);
  minutes_->setValue(static_cast<int>(std::lround(minutes)));
}

void SweepSetupDialog::setRacing(sweep::RaceTest test, double alpha, int minFolds) {
  test_->setCurrentIndex(test_->findData(static_cast<int>(test)));
  alpha_->setValue(alpha);
  minFolds_->setValue(minFolds);
  revalidate();
}

void SweepSetupDialog::setSeed(std::uint64_t seed) { seed_->setValue(static_cast<int>(seed)); }

QString SweepSetupDialog::name() const { return name_->text().trimmed(); }

sweep::Dimension SweepSetupDialog::dimensionOf(const Row& r) const {
  sweep::Dimension d = r.dimension;
  if (r.choices) {
    d.choices.clear();
    for (const auto& c : r.choices->text().split(',', Qt::SkipEmptyParts))
      if (!c.trimmed().isEmpty()) d.choices.push_back(c.trimmed().toStdString());
    return d;
  }
  if (auto* spin = qobject_cast<QSpinBox*>(r.low)) {
    d.low = spin->value();
    d.high = static_cast<QSpinBox*>(r.high)->value();
  } else {
    d.low = static_cast<QDoubleSpinBox*>(r.low)->value();
    d.high = static_cast<QDoubleSpinBox*>(r.high)->value();
  }
  d.log = r.log->isChecked() && d.low > 0.0;
  return d;
}

sweep::SweepSpec SweepSetupDialog::spec() const {
  sweep::SweepSpec s;
  for (const auto& r : rows_) s.space.push_back(dimensionOf(r));
  s.sampler = static_cast<sweep::SamplerKind>(sampler_->currentData().toInt());
  s.startupTrials = startup_->value();
  s.seed = static_cast<std::uint64_t>(seed_->value());
  s.maxTrials = trials_->value();
  s.maxSeconds = minutes_->value() * 60.0;
  s.racing.test = static_cast<sweep::RaceTest>(test_->currentData().toInt());
  s.racing.alpha = alpha_->value();
  s.racing.minFolds = minFolds_->value();
  return s;
}

QStringList SweepSetupDialog::problems() const {
  QStringList out;
  if (rows_.empty()) out << tr("no field to sweep yet");
  if (name().isEmpty()) out << tr("the sweep needs a name");
  for (const auto& r : rows_) {
    const auto d = dimensionOf(r);
    if (d.kind != sweep::DimensionKind::Choice && d.high < d.low)
      out << tr("%1: the low end is above the high end").arg(QString::fromStdString(d.key));
    if (d.kind == sweep::DimensionKind::Choice && d.choices.empty())
      out << tr("%1: no choice to try").arg(QString::fromStdString(d.key));
  }
  if (!rows_.empty()) {
    try {
      for (const auto& p : sweep::checkSpec(spec(), base_)) {
        const QString text = QString::fromStdString(p);
        if (!out.contains(text)) out << text;
      }
    } catch (const std::exception& e) {
      out << QString::fromUtf8(e.what());
    }
  }
  return out;
}

void SweepSetupDialog::showError(const QString& message) {
  error_->setText(message);
  error_->setVisible(!message.isEmpty());
}

void SweepSetupDialog::refreshAddable() {
  const QString current = addable_->currentText();
  addable_->clear();
  for (const auto& field : config::fieldSpecs()) {
    const QString key = QString::fromStdString(field.key());
    if (row(key)) continue;
    try {
      sweep::dimensionFromField(field);
    } catch (const std::exception&) {
      continue;
    }
    addable_->addItem(key);
  }
  addable_->setCurrentText(current);
  empty_->setVisible(rows_.empty());
}

void SweepSetupDialog::revalidate() {
  startup_->setEnabled(static_cast<sweep::SamplerKind>(sampler_->currentData().toInt()) == sweep::SamplerKind::Tpe);
  const bool racing = static_cast<sweep::RaceTest>(test_->currentData().toInt()) != sweep::RaceTest::None;
  alpha_->setEnabled(racing);
  minFolds_->setEnabled(racing);
  sampler_->setToolTip(samplerHelp(static_cast<sweep::SamplerKind>(sampler_->currentData().toInt())));
  const QStringList list = problems();
  problems_->setText(list.isEmpty() ? QString() : QStringLiteral("• ") + list.join(QStringLiteral("\n• ")));
  problems_->setVisible(!list.isEmpty());
  start_->setEnabled(list.isEmpty());
  start_->setToolTip(list.isEmpty() ? tr("Store the sweep in the tracker and run its trials") : list.join('\n'));
}

}  // namespace foldbench::ui
