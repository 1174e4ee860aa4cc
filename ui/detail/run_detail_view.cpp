#include "detail/run_detail_view.h"

#include <QCheckBox>
#include <QDateTime>
#include <QDesktopServices>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QScrollArea>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>
#include <cmath>

#include "detail/confusion_matrix_plot.h"
#include "detail/confusion_matrix_view.h"
#include "detail/examples_browser.h"
#include "shared/config_form.h"
#include "foldbench/analysis/run_comparison.h"
#include "foldbench/config/field_spec.h"
#include "foldbench/tracker/run_store.h"
#include "shared/fold_chart.h"
#include "shared/run_status.h"
#include "tracker/tracker_reader.h"
#include "widgets/data_table.h"

namespace foldbench::ui {

struct RunDetailView::Update {
  tracker::RunDetail detail;
  std::map<std::string, tracker::Series> series;  // new points only
  std::map<std::string, std::int64_t> counts;     // points per series now
  std::optional<analysis::OofPredictions> oof;
  QString oofProblem;
  bool oofRead = false;
};

namespace {

// Per-epoch series drawn in the curves: fold/<k>/<train|val>/<acc|loss>.
const QRegularExpression kEpochSeries("^fold/(\\d+)/(train|val)/(acc|loss)$");

QStandardItem* numberItem(double value, int decimals = 4) {
  auto* item = new QStandardItem(QLocale().toString(value, 'f', decimals));
  item->setData(value, Qt::UserRole);
  item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  return item;
}

QStandardItem* textItem(const QString& text) {
  auto* item = new QStandardItem(text);
  item->setData(text, Qt::UserRole);
  return item;
}

QString fieldText(const tracker::Field& f) {
  if (f.number) return QLocale().toString(*f.number, 'g', 6);
  QString text = QString::fromStdString(f.text);
  // Lists of scores are JSON arrays: shorten their numbers for reading.
  static const QRegularExpression longNumber("(\\d+\\.\\d{4})\\d+");
  return text.replace(longNumber, "\\1");
}

}  // namespace

RunDetailView::RunDetailView(TrackerReader* store, QWidget* parent)
    : QWidget(parent),
      store_(store),
      title_(new QLabel),
      summary_(new QLabel),
      pages_(new QTabWidget),
      folds_(new QStandardItemModel(this)),
      fields_(new QStandardItemModel(this)),
      classes_(new QStandardItemModel(this)),
      artifacts_(new QStandardItemModel(this)),
      accuracy_(new FoldChart(tr("Accuracy per epoch"), tr("accuracy"))),
      loss_(new FoldChart(tr("Loss per epoch"), tr("loss"))),
      matrix_(new ConfusionMatrixView),
      normalise_(new QCheckBox(tr("Normalise by gold row"))),
      oofSummary_(new QLabel),
      examples_(new ExamplesBrowser),
      form_(new ConfigForm),
      configNote_(new QLabel),
      tags_(new QLineEdit),
      notes_(new QListWidget),
      newNote_(new QLineEdit) {
  QFont big = title_->font();
  big.setPointSizeF(big.pointSizeF() * 1.3);
  big.setBold(true);
  title_->setFont(big);
  title_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  summary_->setWordWrap(true);
  title_->setText(tr("No run open"));
  summary_->setText(tr("Open a run from the Runs tab (double-click or Enter)."));

  // Folds: the fold table and the averages, then tags and notes.
  auto* foldsPage = new QWidget;
  {
    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(foldTable_ = makeDataTable(folds_));
    split->addWidget(fieldTable_ = makeDataTable(fields_));
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    tags_->setPlaceholderText(tr("tags, comma separated; Enter applies"));
    connect(tags_, &QLineEdit::returnPressed, this, &RunDetailView::applyTags);
    newNote_->setPlaceholderText(tr("Add a note; Enter saves it"));
    connect(newNote_, &QLineEdit::returnPressed, this, &RunDetailView::addNote);
    notes_->setMaximumHeight(110);
    notes_->setWordWrap(true);
    auto* layout = new QVBoxLayout(foldsPage);
    layout->addWidget(split, 1);
    auto* tagRow = new QHBoxLayout;
    tagRow->addWidget(new QLabel(tr("Tags:")));
    tagRow->addWidget(tags_, 1);
    layout->addLayout(tagRow);
    layout->addWidget(new QLabel(tr("Notes:")));
    layout->addWidget(notes_);
    layout->addWidget(newNote_);
  }
  pages_->addTab(foldsPage, tr("Folds"));

  auto* curvesPage = new QWidget;
  {
    for (auto* chart : {accuracy_, loss_}) {
      chart->setSeriesName(FoldChart::Series::Solid, tr("validation"));
      chart->setSeriesName(FoldChart::Series::Dashed, tr("training"));
      chart->setMinimumHeight(220);
    }
    accuracy_->setValueBounds(0.0, 1.0);
    auto* layout = new QHBoxLayout(curvesPage);
    layout->addWidget(accuracy_, 1);
    layout->addWidget(loss_, 1);
  }
  pages_->addTab(curvesPage, tr("Curves"));

  auto* errorsPage = new QWidget;
  {
    // The matrix takes the free width; the per-class table beside it gets the width its columns
    // need (set when a report arrives), the rows of a clicked cell under the table.
    normalise_->setChecked(true);
    connect(normalise_, &QCheckBox::toggled, matrix_->plot(), &ConfusionMatrixPlot::setNormalised);
    connect(matrix_->plot(), &ConfusionMatrixPlot::cellClicked, this, &RunDetailView::showCell);
    auto* top = new QHBoxLayout;
    oofSummary_->setTextFormat(Qt::RichText);
    oofSummary_->setWordWrap(true);
    top->addWidget(oofSummary_, 1);
    top->addWidget(normalise_);
    auto* right = new QSplitter(Qt::Vertical);
    right->addWidget(classTable_ = makeDataTable(classes_, true));
    classTable_->horizontalHeader()->setStretchLastSection(false);  // columns at their content's width
    right->addWidget(examples_);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 2);
    errorsSplit_ = new QSplitter(Qt::Horizontal);
    errorsSplit_->addWidget(matrix_);
    errorsSplit_->addWidget(right);
    errorsSplit_->setStretchFactor(0, 1);
    errorsSplit_->setStretchFactor(1, 0);
    errorsSplit_->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(errorsPage);
    layout->addLayout(top);
    layout->addWidget(errorsSplit_, 1);
  }
  pages_->addTab(errorsPage, tr("Errors"));

  auto* configPage = new QWidget;
  {
    form_->setReadOnly(true);
    auto* scroll = new QScrollArea;
    scroll->setWidget(form_);
    scroll->setWidgetResizable(true);
    configNote_->setWordWrap(true);
    auto* layout = new QVBoxLayout(configPage);
    layout->addWidget(configNote_);
    layout->addWidget(scroll, 1);
  }
  pages_->addTab(configPage, tr("Config"));

  auto* artifactsPage = new QWidget;
  {
    auto* open = new QPushButton(tr("Open Run Folder"));
    connect(open, &QPushButton::clicked, this, [this] {
      if (!detail_.info.runDir.empty())
        QDesktopServices::openUrl(QUrl::fromLocalFile(QString::fromStdString(detail_.info.runDir)));
    });
    auto* layout = new QVBoxLayout(artifactsPage);
    layout->addWidget(artifactTable_ = makeDataTable(artifacts_), 1);
    layout->addWidget(open, 0, Qt::AlignLeft);
  }
  pages_->addTab(artifactsPage, tr("Artifacts"));

  auto* exportButton = new QPushButton(tr("Export Submission…"));
  exportButton->setToolTip(tr("Ensemble this run's folds into a submission, checked out of fold first"));
  connect(exportButton, &QPushButton::clicked, this, [this] {
    if (id_ > 0) emit exportRequested({id_});
  });
  auto* header = new QHBoxLayout;
  header->addWidget(title_, 1);
  header->addWidget(exportButton);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(header);
  layout->addWidget(summary_);
  layout->addWidget(pages_, 1);

  connect(store_, &TrackerReader::changed, this, [this] {
    if (id_ > 0) reload();
  });
  // A training process that dies writes nothing more: look again now and then while it runs.
  auto* watchRunning = new QTimer(this);
  watchRunning->setInterval(3000);
  connect(watchRunning, &QTimer::timeout, this, [this] {
    if (id_ > 0 && status_ == RunStatus::Running) reload();
  });
  watchRunning->start();
}

void RunDetailView::showRun(qint64 id) {
  id_ = id;
  detail_ = {};
  lastStep_.clear();
  seriesCounts_.clear();
  oof_.reset();
  report_.reset();
  accuracy_->clearFolds();
  loss_->clearFolds();
  classes_->clear();
  matrix_->setReport({});
  oofSummary_->clear();
  examples_->clearRows();  // the rows of the run shown before
  title_->setText(tr("Loading run %1…").arg(id));
  reload();
}

void RunDetailView::reload() {
  if (reading_) {
    pending_ = true;
    return;
  }
  reading_ = true;
  pending_ = false;
  const qint64 id = id_;
  const auto counts = seriesCounts_;  // series -> points already drawn
  const auto lastSteps = lastStep_;
  const bool wantOof = !oof_.has_value();
  store_->read<Update>(
      this,
      [id, counts, lastSteps, wantOof](const tracker::RunStore& s) {
        Update u;
        const tracker::RunStore::Snapshot snapshot(s);
        u.detail = s.showRun(id);
        for (const auto& summary : u.detail.series) {
          if (!kEpochSeries.match(QString::fromStdString(summary.name)).hasMatch()) continue;
          u.counts[summary.name] = summary.count;
          const auto seen = counts.find(summary.name);
          if (seen != counts.end() && seen->second == summary.count) continue;  // nothing new
          const auto last = lastSteps.find(summary.name);
          u.series[summary.name] = s.seriesAfter(id, summary.name, last == lastSteps.end() ? INT64_MIN : last->second);
        }
        if (wantOof && u.detail.info.status != RunStatus::Running) {
          auto run = analysis::loadComparedRun(u.detail);
          u.oof = std::move(run.oof);
          u.oofProblem = QString::fromStdString(run.oofProblem);
          u.oofRead = true;
        }
        return u;
      },
      [this, id](Update u) {
        reading_ = false;
        if (id == id_) apply(std::move(u));
        if (pending_) reload();
      },
      [this](const QString& error) {
        reading_ = false;
        title_->setText(tr("Run %1 cannot be read").arg(id_));
        summary_->setText(error);
        emit message(error);
      });
}

void RunDetailView::apply(Update u) {
  const bool first = detail_.id != u.detail.id;
  detail_ = std::move(u.detail);
  status_ = ui::displayedStatus(detail_.info, tracker::nowSeconds());
  fillHeader();
  fillFolds();
  fillFields();
  fillArtifacts();
  fillNotes();
  if (first) fillConfig();
  applySeries(u.series);
  for (const auto& [name, count] : u.counts) seriesCounts_[name] = count;
  for (const auto& [name, points] : u.series)
    if (points.size()) lastStep_[name] = points.steps.back();
  if (u.oofRead) {
    if (u.oof) applyOof(*u.oof);
    else oofSummary_->setText(tr("No out-of-fold predictions: %1").arg(u.oofProblem.toHtmlEscaped()));
  } else if (!oof_) {
    oofSummary_->setText(tr("Out-of-fold predictions appear when the run ends."));
  }
  ++loads_;
  emit loaded();
}

void RunDetailView::fillHeader() {
  const auto& i = detail_.info;
  title_->setText(QString("<span style=\"color:%1\">●</span> %2 <span style=\"color:#777; font-weight:normal\">%3</span>")
                      .arg(statusColor(status_).name(), QString::fromStdString(i.name).toHtmlEscaped(),
                           QString::fromStdString(i.uid)));
  QStringList parts;
  parts << tr("<b>%1</b>").arg(statusText(status_))
        << tr("started %1").arg(QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(i.createdAt * 1000)).toString("yyyy-MM-dd HH:mm:ss"))
        << formatDuration(runDuration(i)) << tr("%1, %2 threads").arg(QString::fromStdString(i.device)).arg(i.threads)
        << tr("seed %1").arg(i.seed) << tr("host %1").arg(QString::fromStdString(i.host));
  QString text = parts.join(" · ");
  if (!i.error.empty()) text += "<br><span style=\"color:#c0392b\">" + QString::fromStdString(i.error).toHtmlEscaped() + "</span>";
  else if (status_ == RunStatus::Crashed && i.status == RunStatus::Running)
    text += tr("<br><span style=\"color:#c0392b\">The training process is gone without finishing the run.</span>");
  summary_->setText(text);
}

void RunDetailView::fillFolds() {
  folds_->clear();
  folds_->setHorizontalHeaderLabels({tr("Fold"), tr("Status"), tr("Best epoch"), tr("Train acc"), tr("Val acc"),
                                     tr("Val micro-F1"), tr("Val loss"), tr("Checkpoint")});
  for (const auto& f : detail_.folds) {
    auto* fold = new QStandardItem(QString::number(f.fold));
    fold->setData(f.fold, Qt::UserRole);
    folds_->appendRow({fold, textItem(QString::fromStdString(f.status)), numberItem(f.bestEpoch, 0),
                       numberItem(f.trainAccuracy), numberItem(f.validationAccuracy), numberItem(f.validationMicroF1),
                       numberItem(f.validationLoss), textItem(QFileInfo(QString::fromStdString(f.checkpoint)).fileName())});
    folds_->item(folds_->rowCount() - 1, 7)->setToolTip(QString::fromStdString(f.checkpoint));
    if (f.trained()) accuracy_->markBest(f.fold, f.bestEpoch, f.validationAccuracy);
  }
  fitColumns(foldTable_);
}

void RunDetailView::fillFields() {
  fields_->clear();
  fields_->setHorizontalHeaderLabels({tr("Field"), tr("Value")});
  for (const auto& f : detail_.fields) {
    const QString key = QString::fromStdString(f.key);
    if (!key.startsWith("cv/") && !key.startsWith("data/") && !key.startsWith("sys/")) continue;
    fields_->appendRow({textItem(key), textItem(fieldText(f))});
  }
  fitColumns(fieldTable_, 200);
}

void RunDetailView::fillArtifacts() {
  artifacts_->clear();
  artifacts_->setHorizontalHeaderLabels({tr("Kind"), tr("Size"), tr("SHA-256"), tr("Path")});
  for (const auto& a : detail_.artifacts) {
    auto* size = textItem(QLocale().formattedDataSize(a.size));
    size->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    auto* sha = textItem(QString::fromStdString(a.sha256).left(16) + "…");
    sha->setToolTip(QString::fromStdString(a.sha256));
    artifacts_->appendRow({textItem(QString::fromStdString(a.kind)), size, sha, textItem(QString::fromStdString(a.path))});
  }
  fitColumns(artifactTable_);
}

void RunDetailView::fillNotes() {
  QStringList tags;
  for (const auto& t : detail_.tags) tags << QString::fromStdString(t);
  if (!tags_->hasFocus()) tags_->setText(tags.join(", "));
  notes_->clear();
  for (const auto& [when, text] : detail_.notes)
    notes_->addItem(QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(when * 1000)).toString("yyyy-MM-dd HH:mm") + "  " +
                    QString::fromStdString(text));
}

void RunDetailView::fillConfig() {
  config::ExperimentConfig cfg;
  try {
    cfg = config::fromJson(detail_.info.configJson, "the run's config");
  } catch (const std::exception& e) {
    configNote_->setText(tr("The run's config cannot be read: %1").arg(QString::fromStdString(e.what())));
    return;
  }
  // Mark differences against the preset the run is closest to.
  std::string nearest;
  int fewest = INT32_MAX;
  for (const auto& name : config::presetNames()) {
    const auto preset = config::preset(name);
    int differing = 0;
    for (const auto& spec : config::fieldSpecs()) differing += spec.get(preset) != spec.get(cfg);
    if (differing < fewest) fewest = differing, nearest = name;
  }
  form_->setBaseline(config::preset(nearest));
  form_->setConfig(cfg);
  configNote_->setText(tr("The config this run trained with. %n field(s) differ from the preset '%1' (marked ●).", nullptr,
                          fewest).arg(QString::fromStdString(nearest)));
  examples_->setSource(QString::fromStdString(cfg.data.trainPath), cfg.data.format,
                       QString::fromStdString(cfg.data.labelsPath));
}

void RunDetailView::applySeries(const std::map<std::string, tracker::Series>& series) {
  int epochs = 1;
  if (const auto it = detail_.params.find("train.epochs"); it != detail_.params.end()) epochs = std::max(1, std::atoi(it->second.c_str()));
  accuracy_->setEpochs(epochs);
  loss_->setEpochs(epochs);
  for (const auto& [name, points] : series) {
    const auto match = kEpochSeries.match(QString::fromStdString(name));
    const int fold = match.captured(1).toInt();
    const auto kind = match.captured(2) == "val" ? FoldChart::Series::Solid : FoldChart::Series::Dashed;
    auto* chart = match.captured(3) == "acc" ? accuracy_ : loss_;
    for (std::size_t i = 0; i < points.size(); ++i) chart->addPoint(fold, kind, points.epochs[i], points.values[i]);
  }
  accuracy_->refresh();
  loss_->refresh();
}

void RunDetailView::applyOof(const analysis::OofPredictions& oof) {
  std::string noRelation = "관계_없음";
  if (const auto it = detail_.params.find("data.no_relation_label"); it != detail_.params.end()) noRelation = it->second;
  oof_ = oof;
  report_ = analysis::classificationReport(oof.labels, oof.gold, oof.predicted, noRelation);
  const auto& r = *report_;
  oofSummary_->setText(tr("Out of fold, %1 rows: <b>accuracy %2</b> · <b>KLUE micro-F1 %3</b> (without %4) · macro-F1 %5")
                           .arg(r.rows)
                           .arg(QLocale().toString(r.accuracy, 'f', 4), QLocale().toString(r.relationMicroF1, 'f', 4),
                                QString::fromStdString(noRelation).toHtmlEscaped(), QLocale().toString(r.macroF1, 'f', 4)));
  matrix_->setReport(r);
  classes_->clear();
  // Short headers keep the table narrow beside the matrix; the full names are their tooltips.
  classes_->setHorizontalHeaderLabels({tr("Label"), tr("Prec."), tr("Recall"), tr("F1"), tr("Support"), tr("Pred.")});
  const QStringList tips = {tr("Gold label"), tr("Precision: the share of rows predicted as this label that are it"),
                            tr("Recall: the share of this label's rows predicted as it"), tr("F1 of precision and recall"),
                            tr("Rows with this gold label"), tr("Rows predicted as this label")};
  for (int c = 0; c < tips.size(); ++c) classes_->setHeaderData(c, Qt::Horizontal, tips[c], Qt::ToolTipRole);
  for (const auto& c : r.classes)
    classes_->appendRow({textItem(QString::fromStdString(c.label)), numberItem(c.precision, 3), numberItem(c.recall, 3),
                         numberItem(c.f1, 3), numberItem(static_cast<double>(c.support), 0),
                         numberItem(static_cast<double>(c.predicted), 0)});
  // Worst classes first: where a user looks for what to fix.
  classTable_->sortByColumn(3, Qt::AscendingOrder);
  fitClassTable();
}

ConfusionMatrixPlot* RunDetailView::confusionMatrix() const { return matrix_->plot(); }

void RunDetailView::fitClassTable() {
  // Each column exactly as wide as its header or widest cell, so the table needs little room;
  // the table as wide as its columns (no scrolling sideways), the matrix the rest.
  classTable_->resizeColumnsToContents();
  auto* header = classTable_->horizontalHeader();
  int wanted = 2 * classTable_->frameWidth() + classTable_->verticalScrollBar()->sizeHint().width() + 2;
  for (int c = 0; c < header->count(); ++c) wanted += header->sectionSize(c);
  classTable_->setMinimumWidth(wanted);
  const int total = errorsSplit_->width() > 0 ? errorsSplit_->width() : 1000;
  errorsSplit_->setSizes({std::max(200, total - wanted), wanted});
}

void RunDetailView::showCell(int gold, int predicted) {
  if (!oof_ || !report_) return;
  QStringList ids;
  for (std::size_t i = 0; i < oof_->size(); ++i)
    if (oof_->gold[i] == gold && oof_->predicted[i] == predicted) ids << QString::fromStdString(oof_->ids[i]);
  examples_->showRows(ids, QString::fromStdString(report_->labels[static_cast<std::size_t>(gold)]),
                      QString::fromStdString(report_->labels[static_cast<std::size_t>(predicted)]));
}

void RunDetailView::applyTags() {
  std::vector<std::string> wanted, add, remove;
  for (const auto& t : tags_->text().split(QRegularExpression("[,\\s]+"), Qt::SkipEmptyParts)) wanted.push_back(t.toStdString());
  for (const auto& t : wanted)
    if (std::find(detail_.tags.begin(), detail_.tags.end(), t) == detail_.tags.end()) add.push_back(t);
  for (const auto& t : detail_.tags)
    if (std::find(wanted.begin(), wanted.end(), t) == wanted.end()) remove.push_back(t);
  if (add.empty() && remove.empty()) return;
  store_->write(
      this,
      [id = id_, add, remove](tracker::RunStore& s) {
        if (!add.empty()) s.addTags(id, add);
        if (!remove.empty()) s.removeTags(id, remove);
      },
      [this](const QString& error) { emit message(error.isEmpty() ? tr("tags saved") : error); });
}

void RunDetailView::addNote() {
  const QString text = newNote_->text().trimmed();
  if (text.isEmpty() || id_ <= 0) return;
  newNote_->clear();
  store_->write(
      this, [id = id_, t = text.toStdString()](tracker::RunStore& s) { s.addNote(id, t, tracker::nowSeconds()); },
      [this](const QString& error) { emit message(error.isEmpty() ? tr("note saved") : error); });
}

}  // namespace foldbench::ui
