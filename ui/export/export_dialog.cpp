#include "export/export_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QHeaderView>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "export/export_runner.h"
#include "widgets/data_table.h"

namespace foldbench::ui {

namespace {

QStandardItem* cell(const QString& text) {
  auto* item = new QStandardItem(text);
  item->setData(text, Qt::UserRole);
  return item;
}

QStandardItem* number(double v, int decimals = 4, bool signedValue = false) {
  auto* item = new QStandardItem((signedValue && v > 0 ? "+" : "") + QLocale().toString(v, 'f', decimals));
  item->setData(v, Qt::UserRole);
  item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  return item;
}

QLineEdit* pathEdit(QWidget* parent, const std::function<QString(const QString&)>& choose, QHBoxLayout*& row) {
  auto* edit = new QLineEdit;
  auto* browse = new QToolButton;
  browse->setText("…");
  QObject::connect(browse, &QToolButton::clicked, parent, [edit, choose] {
    const QString path = choose(edit->text());
    if (!path.isEmpty()) edit->setText(path);
  });
  row = new QHBoxLayout;
  row->addWidget(edit, 1);
  row->addWidget(browse);
  return edit;
}

}  // namespace

ExportDialog::ExportDialog(const QStringList& runKeys, const QString& database, QWidget* parent)
    : QDialog(parent),
      database_(database),
      runner_(new ExportRunner(this)),
      members_(new QLabel),
      vote_(new QComboBox),
      weights_(new QComboBox),
      fitMetric_(new QComboBox),
      format_(new QComboBox),
      fitPrior_(new QCheckBox(tr("Fit a constant for the no-relation class"))),
      reportModel_(new QStandardItemModel(this)),
      classModel_(new QStandardItemModel(this)),
      reportTable_(makeDataTable(reportModel_)),
      classTable_(makeDataTable(classModel_, true)),
      reportNote_(new QLabel),
      progress_(new QProgressBar),
      status_(new QLabel),
      export_(new QPushButton(tr("Export"))),
      cancel_(new QPushButton(tr("Cancel Export"))) {
  setWindowTitle(tr("Export Ensemble Submission"));
  resize(980, 720);
  const auto saved = ExportChoices::load();
  vote_->addItem(tr("soft: mean of the runs' probabilities"), "soft");
  vote_->addItem(tr("hard: majority of the runs' classes"), "hard");
  vote_->addItem(tr("weighted: weighted mean of the runs"), "weighted");
  vote_->setCurrentIndex(std::max(0, vote_->findData(saved.vote)));
  weights_->addItem(tr("fitted on out-of-fold rows"), "oof");
  weights_->addItem(tr("mean validation accuracy"), "val");
  weights_->addItem(tr("greedy selection on out-of-fold rows"), "greedy");
  weights_->setCurrentIndex(std::max(0, weights_->findData(saved.weights)));
  fitPrior_->setChecked(saved.fitPrior);
  fitMetric_->addItem(tr("accuracy"), "accuracy");
  fitMetric_->addItem(tr("KLUE micro-F1 (without no-relation)"), "micro_f1");
  fitMetric_->setCurrentIndex(std::max(0, fitMetric_->findData(saved.fitMetric)));
  for (const char* f : {"pstage", "klue", "generic"}) format_->addItem(f, f);
  format_->setCurrentIndex(std::max(0, format_->findData(saved.format)));
  members_->setWordWrap(true);
  members_->setText(tr("Reading %n run(s)…", nullptr, runKeys.size()));

  QHBoxLayout *testRow = nullptr, *outRow = nullptr;
  testPath_ = pathEdit(this, [this](const QString& current) {
    return QFileDialog::getOpenFileName(this, tr("Test File"), current, tr("Datasets (*.tsv *.json *.jsonl *.csv);;All files (*)"));
  }, testRow);
  outPath_ = pathEdit(this, [this](const QString& current) {
    // The dialog's own overwrite question is the one that counts; it comes when exporting.
    return QFileDialog::getSaveFileName(this, tr("Submission File"), current, tr("CSV (*.csv);;All files (*)"), nullptr,
                                        QFileDialog::DontConfirmOverwrite);
  }, outRow);

  auto* form = new QFormLayout;
  form->addRow(tr("Members:"), members_);
  form->addRow(tr("Vote:"), vote_);
  form->addRow(tr("Run weights:"), weights_);
  auto* priorRow = new QHBoxLayout;
  priorRow->addWidget(fitPrior_);
  priorRow->addWidget(new QLabel(tr("fitted for")));
  priorRow->addWidget(fitMetric_);
  priorRow->addStretch(1);
  form->addRow(tr("Constant:"), priorRow);
  form->addRow(tr("Test file:"), testRow);
  form->addRow(tr("Format:"), format_);
  form->addRow(tr("Output file:"), outRow);

  reportNote_->setWordWrap(true);
  // The members above the classes, each table the dialog's full width: no header is cut, and
  // the per-class table shows many labels at once (42 in the competition data).
  split_ = new QSplitter(Qt::Vertical);
  split_->addWidget(reportTable_);
  split_->addWidget(classTable_);
  split_->setStretchFactor(0, 0);
  split_->setStretchFactor(1, 1);
  split_->setChildrenCollapsible(false);

  progress_->setVisible(false);
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  cancel_->setEnabled(false);
  export_->setDefault(true);
  auto* close = new QPushButton(tr("Close"));
  connect(close, &QPushButton::clicked, this, &QDialog::reject);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(progress_, 1);
  buttons->addStretch(1);
  buttons->addWidget(export_);
  buttons->addWidget(cancel_);
  buttons->addWidget(close);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(new QLabel(tr("<b>Out-of-fold check</b> (training rows every run predicted without having seen them)")));
  layout->addWidget(split_, 1);
  layout->addWidget(reportNote_);
  layout->addWidget(status_);
  layout->addLayout(buttons);

  for (auto* combo : {vote_, weights_, fitMetric_}) connect(combo, &QComboBox::currentIndexChanged, this, [this] { updateReport(); });
  connect(fitPrior_, &QCheckBox::toggled, this, [this] { updateReport(); });
  connect(export_, &QPushButton::clicked, this, &ExportDialog::startExport);
  connect(cancel_, &QPushButton::clicked, this, &ExportDialog::cancelExport);
  connect(runner_, &ExportRunner::progress, this, [this](int done, int total) {
    progress_->setRange(0, total);
    progress_->setValue(done);
    progress_->setFormat(tr("%v of %m fold checkpoints"));
  });
  connect(runner_, &ExportRunner::finished, this, [this](const QString& path, const QString& summary) {
    status_->setText(tr("Wrote <b>%1</b>: %2").arg(path.toHtmlEscaped(), summary.toHtmlEscaped()));
    updateEnabled();
    emit exported(path, summary);
  });
  connect(runner_, &ExportRunner::failed, this, [this](const QString& message, bool cancelled) {
    status_->setText(QString("<span style=\"color:%1\">%2</span>").arg(cancelled ? "#666" : "#c0392b", message.toHtmlEscaped()));
    updateEnabled();
    emit exportFailed(message, cancelled);
  });
  confirmOverwrite = [this](const QString& path) {
    return QMessageBox::question(this, tr("Replace File?"), tr("%1 exists. Replace it?").arg(path)) == QMessageBox::Yes;
  };

  connect(&loading_, &QFutureWatcherBase::finished, this, [this] {
    const auto loaded = loading_.result();
    if (!loaded.value) {
      loadError_ = loaded.error;
      members_->setText(QString("<span style=\"color:#c0392b\">%1</span>").arg(loadError_.toHtmlEscaped()));
      updateEnabled();
      return;
    }
    runs_ = loaded.value;
    QStringList names;
    for (const auto& r : runs_->runs)
      names << QString("%1 (%2 folds)").arg(QString::fromStdString(r.uid)).arg(r.folds.size());
    members_->setText(names.join(", "));
    const auto& first = runs_->runs[0];
    if (testPath_->text().isEmpty()) testPath_->setText(QString::fromStdString(first.config.data.testPath));
    if (outPath_->text().isEmpty())
      outPath_->setText(QString::fromStdString(ensemble::freshSubmissionPath(
          ExportChoices::load().folder.toStdString(), first.config.run.name.empty() ? first.uid : first.config.run.name)));
    updateReport();
  });
  connect(&evaluating_, &QFutureWatcherBase::finished, this, [this] {
    const auto report = evaluating_.result();
    if (report.value) showReport(*report.value);
    else reportNote_->setText(QString("<span style=\"color:#c0392b\">%1</span>").arg(report.error.toHtmlEscaped()));
    if (reportPending_) updateReport();
  });
  loading_.setFuture(QtConcurrent::run([keys = runKeys, db = database.toStdString()] {
    std::vector<std::string> list;
    for (const auto& k : keys) list.push_back(k.toStdString());
    Outcome<ensemble::LoadedRuns> out;
    try {
      out.value = std::make_shared<const ensemble::LoadedRuns>(ensemble::loadExportRuns(list, db));
    } catch (const std::exception& e) {
      out.error = QString::fromStdString(e.what());
    }
    return out;
  }));
  updateEnabled();
}

ExportChoices ExportDialog::choices() const {
  ExportChoices c = ExportChoices::load();
  c.vote = vote_->currentData().toString();
  c.weights = weights_->currentData().toString();
  c.fitPrior = fitPrior_->isChecked();
  c.fitMetric = fitMetric_->currentData().toString();
  c.format = format_->currentData().toString();
  return c;
}

void ExportDialog::updateReport() {
  weights_->setEnabled(vote_->currentData() == "weighted");
  fitPrior_->setEnabled(vote_->currentData() != "hard");
  fitMetric_->setEnabled(fitPrior_->isEnabled() && (fitPrior_->isChecked() || weights_->isEnabled()));
  if (!runs_) return;
  if (evaluating_.isRunning()) {
    reportPending_ = true;
    return;
  }
  reportPending_ = false;
  const auto options = choices().options(runs_->runs[0].config.data.noRelationLabel);
  evaluating_.setFuture(QtConcurrent::run([runs = runs_, options] {
    Outcome<ensemble::OofReport> out;
    try {
      out.value = std::make_shared<const ensemble::OofReport>(ensemble::evaluateOutOfFold(runs->runs, options));
    } catch (const std::exception& e) {
      out.error = QString::fromStdString(e.what());
    }
    return out;
  }));
}

void ExportDialog::showReport(const ensemble::OofReport& r) {
  report_ = r;
  reportModel_->clear();
  reportModel_->setHorizontalHeaderLabels({tr("Member"), tr("Weight"), tr("OOF accuracy"), tr("OOF KLUE micro-F1")});
  for (std::size_t i = 0; i < r.members.size(); ++i) {
    auto* weight = number(r.runWeights[i], 3);
    if (i < r.selectionCounts.size()) {  // greedy selection: how often the run was selected
      weight->setText(tr("%1 (%2x)").arg(weight->text()).arg(r.selectionCounts[i]));
      weight->setToolTip(tr("Selected %n time(s) by greedy selection on all out-of-fold rows", nullptr, r.selectionCounts[i]));
    }
    reportModel_->appendRow({cell(QString::fromStdString(r.members[i].name)), weight, number(r.members[i].accuracy),
                             number(r.members[i].microF1)});
  }
  auto bold = [](QList<QStandardItem*> row) {
    for (auto* item : row) {
      QFont f = item->font();
      f.setBold(true);
      item->setFont(f);
    }
    return row;
  };
  auto crossFitted = bold({cell(tr("ensemble, cross-fitted")), cell({}), number(r.crossFitted.accuracy),
                           number(r.crossFitted.microF1)});
  crossFitted[0]->setToolTip(tr("The honest estimate: each fold's rows decided with what was fitted on the other folds"));
  reportModel_->appendRow(crossFitted);
  QList<QStandardItem*> inSample{cell(tr("ensemble, in sample")), cell({}), number(r.inSample.accuracy),
                                 number(r.inSample.microF1)};
  inSample[0]->setToolTip(tr("Fitted on all rows and scored on the same rows: optimistic when something is fitted; "
                             "what the submission uses"));
  reportModel_->appendRow(inSample);
  fitColumns(reportTable_, 420, false);
  // The report table as tall as its rows, the class table the rest.
  const int reportHeight = reportTable_->horizontalHeader()->sizeHint().height() +
                           reportTable_->verticalHeader()->defaultSectionSize() * reportModel_->rowCount() +
                           2 * reportTable_->frameWidth() + 2;
  const int total = std::max(split_->height(), reportHeight + 200);
  split_->setSizes({reportHeight, total - reportHeight});
  QString note = tr("%n shared out-of-fold row(s).", nullptr, static_cast<int>(r.rows));
  note += r.fitted ? tr(" Something is fitted on these rows, so the in-sample figure is optimistic; the cross-fitted figure "
                        "decides each fold's rows with what was fitted on the other folds.")
                   : tr(" Nothing is fitted on these rows: both figures are the same estimate.");
  if (r.noRelationBias != 0.0) note += tr(" Constant on the no-relation class: %1.").arg(r.noRelationBias, 0, 'f', 3);
  reportNote_->setText(note);

  classModel_->clear();
  classModel_->setHorizontalHeaderLabels({tr("Label"), tr("Support"), tr("Best member F1"), tr("Ensemble F1"), tr("Change")});
  for (const auto& c : r.classChanges)
    classModel_->appendRow({cell(QString::fromStdString(c.label)), number(static_cast<double>(c.support), 0),
                            number(c.bestMemberF1), number(c.ensembleF1), number(c.ensembleF1 - c.bestMemberF1, 4, true)});
  classTable_->sortByColumn(4, Qt::AscendingOrder);
  fitColumns(classTable_, 320, false);
  classTable_->setToolTip(tr("Per class: F1 of the best single member (%1) and of the cross-fitted ensemble")
                              .arg(QString::fromStdString(r.members[r.bestMember].name)));
  updateEnabled();
  emit reportReady();
}

void ExportDialog::setVote(const QString& vote) { vote_->setCurrentIndex(std::max(0, vote_->findData(vote))); }
void ExportDialog::setFitPrior(bool on) { fitPrior_->setChecked(on); }
void ExportDialog::setTestPath(const QString& path) { testPath_->setText(path); }
void ExportDialog::setOutputPath(const QString& path) { outPath_->setText(path); }
QString ExportDialog::outputPath() const { return outPath_->text().trimmed(); }
QString ExportDialog::statusText() const { return status_->text(); }
bool ExportDialog::isExporting() const { return runner_->isRunning(); }

void ExportDialog::updateEnabled() {
  const bool busy = runner_->isRunning();
  export_->setEnabled(runs_ != nullptr && !busy);
  cancel_->setEnabled(busy);
  progress_->setVisible(busy);
  for (QWidget* w : std::initializer_list<QWidget*>{vote_, weights_, fitPrior_, fitMetric_, format_, testPath_, outPath_})
    w->setEnabled(!busy && (w != weights_ || vote_->currentData() == "weighted"));
}

void ExportDialog::startExport() {
  if (!runs_ || runner_->isRunning()) return;
  const QString out = outputPath();
  if (out.isEmpty() || testPath_->text().trimmed().isEmpty()) {
    status_->setText(tr("Choose a test file and an output file."));
    return;
  }
  bool overwrite = false;
  if (QFileInfo::exists(out)) {
    if (!confirmOverwrite || !confirmOverwrite(out)) {
      status_->setText(tr("%1 exists and was kept.").arg(out));
      return;
    }
    overwrite = true;
  }
  QDir().mkpath(QFileInfo(out).absolutePath());
  const auto c = choices();
  c.save();
  ensemble::ExportRequest request;
  request.options = c.options(runs_->runs[0].config.data.noRelationLabel);
  request.format = c.submissionFormat();
  request.testPath = testPath_->text().trimmed().toStdString();
  request.outPath = out.toStdString();
  request.overwrite = overwrite;
  request.database = database_.toStdString();
  status_->setText(tr("Exporting…"));
  progress_->setRange(0, 0);
  runner_->start(*runs_, request);
  updateEnabled();
}

void ExportDialog::cancelExport() { runner_->cancel(); }

}  // namespace foldbench::ui
