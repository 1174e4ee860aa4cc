#include "editor/experiment_editor.h"

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QScrollArea>
#include <QUndoCommand>
#include <QVBoxLayout>

#include "shared/config_form.h"
#include "editor/dataset_check.h"
#include "editor/model_folder_view.h"

namespace foldbench::ui {

namespace {
const QString kCustom = QObject::tr("(custom)");
}

// One change of the config: a field edit (consecutive edits of one field merge) or a whole
// replacement (preset, file).
class ConfigCommand : public QUndoCommand {
 public:
  struct State {
    config::ExperimentConfig config, baseline;
    QString baselineName;
  };
  ConfigCommand(ExperimentEditor* editor, State before, State after, const QString& text, const QString& fieldKey)
      : QUndoCommand(text), editor_(editor), before_(std::move(before)), after_(std::move(after)), key_(fieldKey) {}
  void undo() override { editor_->assign(before_.config, before_.baseline, before_.baselineName); }
  void redo() override { editor_->assign(after_.config, after_.baseline, after_.baselineName); }
  int id() const override { return key_.isEmpty() ? -1 : 1; }
  bool mergeWith(const QUndoCommand* other) override {
    const auto* o = static_cast<const ConfigCommand*>(other);
    if (o->key_ != key_) return false;
    after_ = o->after_;
    return true;
  }

 private:
  ExperimentEditor* editor_;
  State before_, after_;
  QString key_;
};

ExperimentEditor::ExperimentEditor(QWidget* parent)
    : QWidget(parent),
      preset_(new QComboBox),
      form_(new ConfigForm),
      datasetSummary_(new QLabel),
      problemsLabel_(new QLabel),
      check_(new DatasetCheck(this)),
      modelCheck_(new ModelFolderCheck(this)),
      modelView_(new ModelFolderView) {
  preset_->setObjectName("preset");
  for (const auto& name : config::presetNames()) preset_->addItem(QString::fromStdString(name));
  preset_->addItem(kCustom);
  preset_->setToolTip(tr("Start from a preset; fields that differ from it are marked ●"));
  auto* top = new QFormLayout;
  top->setContentsMargins(4, 4, 4, 0);
  top->addRow(tr("Preset"), preset_);

  datasetSummary_->setObjectName("datasetSummary");
  datasetSummary_->setWordWrap(true);
  datasetSummary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  datasetSummary_->setContentsMargins(6, 2, 6, 2);
  problemsLabel_->setObjectName("problems");
  problemsLabel_->setWordWrap(true);
  problemsLabel_->setStyleSheet(QStringLiteral("color: #d0302f;"));
  problemsLabel_->setContentsMargins(6, 2, 6, 2);

  auto* scroll = new QScrollArea;
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setWidget(form_);
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  layout->addLayout(top);
  layout->addWidget(datasetSummary_);
  layout->addWidget(scroll, 1);
  layout->addWidget(problemsLabel_);

  connect(preset_, &QComboBox::activated, this, [this](int index) {
    const QString name = preset_->itemText(index);
    if (name != kCustom) applyPreset(name);
  });
  connect(form_, &ConfigForm::fieldEdited, this,
          [this](const QString& key, const config::FieldValue& value) { setFieldValue(key, value); });
  connect(check_, &DatasetCheck::checked, this, &ExperimentEditor::showSnapshot);
  form_->setFieldDetail(QStringLiteral("model.pretrained_path"), modelView_);
  connect(modelCheck_, &ModelFolderCheck::checked, this, &ExperimentEditor::showModelSnapshot);
  datasetSummary_->setText(tr("No training file chosen."));
  revalidate();
}

void ExperimentEditor::setResourceDirs(const QString& sampleDataDir, const QString& sourceDir) {
  sampleDir_ = sampleDataDir;
  sourceDir_ = sourceDir;
}

config::ExperimentConfig ExperimentEditor::resolvePaths(config::ExperimentConfig c) const {
  // Presets name their data relative to the source tree; the window may run anywhere.
  for (const auto& spec : config::fieldSpecs()) {
    if (spec.type != config::FieldType::Path || spec.directory) continue;
    const auto value = std::get<std::string>(spec.get(c));
    const QString path = QString::fromStdString(value);
    if (path.isEmpty() || QFileInfo(path).isAbsolute() || QFileInfo::exists(path)) continue;
    QString found;
    if (!sampleDir_.isEmpty() && path.startsWith(QLatin1String("resources/sample/")))
      found = QDir(sampleDir_).filePath(path.mid(QStringLiteral("resources/sample/").size()));
    else if (!sourceDir_.isEmpty())
      found = QDir(sourceDir_).filePath(path);
    if (!found.isEmpty() && QFileInfo::exists(found)) spec.set(c, QDir::cleanPath(found).toStdString());
  }
  return c;
}

void ExperimentEditor::setConfig(const config::ExperimentConfig& config, const QString& baselineName) {
  const bool isPreset = baselineName != kCustom && preset_->findText(baselineName) >= 0;
  const auto baseline = isPreset ? resolvePaths(config::preset(baselineName.toStdString())) : config::ExperimentConfig{};
  undo_.push(new ConfigCommand(this, {config_, baseline_, baselineName_}, {config, baseline, isPreset ? baselineName : kCustom},
                               tr("load %1").arg(baselineName), {}));
}

void ExperimentEditor::applyPreset(const QString& name) {
  const auto c = resolvePaths(config::preset(name.toStdString()));
  undo_.push(new ConfigCommand(this, {config_, baseline_, baselineName_}, {c, c, name}, tr("preset %1").arg(name), {}));
}

bool ExperimentEditor::setFieldValue(const QString& key, const config::FieldValue& value) {
  return setFieldValues({{key, value}});
}

bool ExperimentEditor::setFieldValues(const std::vector<std::pair<QString, config::FieldValue>>& values) {
  config::ExperimentConfig next = config_;
  bool changed = false;
  try {
    for (const auto& [key, value] : values) {
      config::setField(next, key.toStdString(), value);
      changed |= config::getField(next, key.toStdString()) != config::getField(config_, key.toStdString());
    }
  } catch (const std::invalid_argument&) {
    return false;
  }
  if (!changed) return true;
  // Consecutive edits of one field merge into one undo step.
  const bool single = values.size() == 1;
  undo_.push(new ConfigCommand(this, {config_, baseline_, baselineName_}, {next, baseline_, baselineName_},
                               single ? tr("edit %1").arg(values[0].first) : tr("edit %1 fields").arg(values.size()),
                               single ? values[0].first : QString()));
  return true;
}

void ExperimentEditor::adoptDatasetCheck(const DatasetSnapshot& snapshot) {
  check_->adopt(snapshot);
  checkedTrain_ = QString::fromStdString(snapshot.path);
  checkedLabels_ = QString::fromStdString(snapshot.labelsPath);
  showSnapshot(snapshot);
}

bool ExperimentEditor::loadFile(const QString& path, QString* error) {
  try {
    setConfig(resolvePaths(config::loadConfig(path.toStdString())), kCustom);
    return true;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromUtf8(e.what());
    return false;
  }
}

bool ExperimentEditor::saveFile(const QString& path, QString* error) const {
  try {
    config::saveConfig(config_, path.toStdString());
    return true;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromUtf8(e.what());
    return false;
  }
}

void ExperimentEditor::assign(const config::ExperimentConfig& config, const config::ExperimentConfig& baseline,
                              const QString& baselineName) {
  config_ = config;
  baseline_ = baseline;
  baselineName_ = baselineName;
  preset_->setCurrentText(baselineName);
  form_->setBaseline(baseline_);
  form_->setConfig(config_);
  revalidate();
  requestDatasetCheck();
  requestModelCheck();
  updateModelEstimate();
  emit configChanged();
}

void ExperimentEditor::revalidate() {
  problems_ = config::validateFields(config_);
  for (const auto& spec : config::fieldSpecs()) {
    if (spec.type != config::FieldType::Path || spec.directory || !config::fieldApplies(spec, config_)) continue;
    const auto path = std::get<std::string>(spec.get(config_));
    if (!path.empty() && !QFileInfo(QString::fromStdString(path)).isFile())
      problems_.push_back({spec.key(), "no such file: " + path});
  }
  if (checkedTrain_ == QString::fromStdString(config_.data.trainPath) && !check_->isBusy() &&
      !check_->latest().path.empty() && !check_->latest().usable)
    problems_.push_back({"data.train_path", "not usable: " + check_->latest().error});
  if (config_.model.family == config::ModelFamily::Pretrained && !checkedModel_.isEmpty() &&
      checkedModel_ == QString::fromStdString(config_.model.pretrainedPath) && !modelCheck_->isBusy() &&
      modelCheck_->latest().directory == config_.model.pretrainedPath) {
    const auto& model = modelCheck_->latest();
    if (!model.usable) problems_.push_back({"model.pretrained_path", "not a usable model folder: " + model.error});
    else if (!model.problem.empty()) problems_.push_back({"model.pretrained_path", model.problem});
  }
  form_->setProblems(problems_);
  problemsLabel_->setText(problemsText());
  problemsLabel_->setVisible(!problems_.empty());
  const bool valid = problems_.empty();
  const QString reason = problemsText();
  if (valid != lastValid_ || reason != lastReason_) {
    lastValid_ = valid;
    lastReason_ = reason;
    emit validityChanged(valid, reason);
  }
}

QString ExperimentEditor::problemsText() const {
  QStringList lines;
  for (const auto& p : problems_) lines << QString::fromStdString(p.key + ": " + p.message);
  return lines.join('\n');
}

void ExperimentEditor::requestDatasetCheck() {
  const QString train = QString::fromStdString(config_.data.trainPath);
  const QString labels = QString::fromStdString(config_.data.labelsPath);
  if (train == checkedTrain_ && labels == checkedLabels_) return;
  checkedTrain_ = train;
  checkedLabels_ = labels;
  if (train.isEmpty() || !QFileInfo(train).isFile()) {
    datasetSummary_->setText(train.isEmpty() ? tr("No training file chosen.") : tr("Training file not found."));
    return;
  }
  datasetSummary_->setText(tr("Checking %1…").arg(QFileInfo(train).fileName()));
  check_->request(train, labels);
}

void ExperimentEditor::showSnapshot(const DatasetSnapshot& snap) {
  if (!snap.usable) {
    datasetSummary_->setText(tr("<span style='color:#d0302f'>%1 is not usable: %2</span>")
                                 .arg(QFileInfo(QString::fromStdString(snap.path)).fileName().toHtmlEscaped(),
                                      QString::fromStdString(snap.error).toHtmlEscaped()));
  } else {
    datasetSummary_->setText(tr("<b>%1</b>: %L2 rows, %3 labels, %4 offsets repaired, %5 problems")
                                 .arg(QFileInfo(QString::fromStdString(snap.path)).fileName().toHtmlEscaped())
                                 .arg(snap.summary.rows)
                                 .arg(snap.summary.labels.size())
                                 .arg(snap.report.repairs.size())
                                 .arg(snap.report.problemCount));
  }
  revalidate();
  updateModelEstimate();
  emit datasetChecked(snap);
}

void ExperimentEditor::requestModelCheck() {
  const bool pretrained = config_.model.family == config::ModelFamily::Pretrained;
  const QString dir = pretrained ? QString::fromStdString(config_.model.pretrainedPath) : QString();
  if (dir.isEmpty()) {
    checkedModel_.clear();
    modelView_->showEmpty(pretrained ? tr("No model folder chosen.") : QString());
    return;
  }
  if (dir == checkedModel_) return;
  checkedModel_ = dir;
  modelView_->showChecking(dir);
  modelCheck_->request(dir);
}

void ExperimentEditor::showModelSnapshot(const ModelFolderSnapshot& snap) {
  if (QString::fromStdString(snap.directory) != checkedModel_) return;  // the field changed since
  modelView_->showSnapshot(snap);
  updateModelEstimate();
  revalidate();
}

void ExperimentEditor::updateModelEstimate() {
  const auto& model = modelCheck_->latest();
  if (checkedModel_.isEmpty() || QString::fromStdString(model.directory) != checkedModel_ || !model.usable) return;
  const auto& data = check_->latest();
  const std::size_t rows = data.usable && data.path == config_.data.trainPath ? data.summary.rows : 0;
  modelView_->setEstimate(describeEpochEstimate(model, config_, rows));
}

QString ExperimentEditor::datasetSummaryText() const { return datasetSummary_->text(); }

}  // namespace foldbench::ui
