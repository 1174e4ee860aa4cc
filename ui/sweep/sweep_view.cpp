#include "sweep/sweep_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

#include "foldbench/config/experiment_config.h"
#include "sweep/parallel_coordinates_plot.h"
#include "sweep/sweep_reader.h"
#include "sweep/trial_score_chart.h"
#include "sweep/trial_table_model.h"

namespace foldbench::ui {

SweepView::SweepView(const QString& databasePath, QWidget* parent)
    : QWidget(parent),
      reader_(new SweepReader(databasePath, this)),
      sweeps_(new QComboBox),
      summary_(new QLabel),
      progress_(new QLabel),
      stop_(new QPushButton(tr("Stop"))),
      resume_(new QPushButton(tr("Resume"))),
      openBest_(new QPushButton(tr("Open Best Trial in Editor"))),
      compare_(new QPushButton(tr("Compare Top"))),
      clearBrushes_(new QPushButton(tr("Clear Ranges"))),
      topN_(new QSpinBox),
      model_(new TrialTableModel(this)),
      proxy_(new TrialFilterProxy(this)),
      table_(new QTableView),
      filterNote_(new QLabel),
      chart_(new TrialScoreChart),
      parallel_(new ParallelCoordinatesPlot) {
  setObjectName("sweepView");
  sweeps_->setObjectName("sweepChoice");
  sweeps_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  sweeps_->setToolTip(tr("The sweeps of the tracker"));
  summary_->setObjectName("sweepSummary");
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  progress_->setObjectName("sweepProgress");
  stop_->setObjectName("sweepStop");
  stop_->setToolTip(tr("Stop this window's sweep: the trial in hand goes back to pending and runs again on Resume"));
  resume_->setObjectName("sweepResume");
  resume_->setToolTip(tr("Run this sweep's remaining trials in this window (its budget permitting)"));
  openBest_->setObjectName("sweepOpenBest");
  openBest_->setToolTip(tr("Put the best finished trial's config into the experiment editor (Ctrl+Z undoes)"));
  compare_->setObjectName("sweepCompareTop");
  compare_->setToolTip(tr("Open the Compare tab with the runs of the best trials"));
  topN_->setRange(2, 20);
  topN_->setValue(3);
  topN_->setToolTip(tr("How many of the best trials to compare"));
  clearBrushes_->setToolTip(tr("Clear every range of the parallel-coordinates plot"));
  connect(stop_, &QPushButton::clicked, this, &SweepView::stopRequested);
  connect(resume_, &QPushButton::clicked, this, [this] {
    if (snapshot_.hasSweep) emit resumeRequested(QString::fromStdString(snapshot_.sweep.name));
  });
  connect(openBest_, &QPushButton::clicked, this, &SweepView::openBestTrial);
  connect(compare_, &QPushButton::clicked, this, [this] { compareTop(topN_->value()); });
  connect(clearBrushes_, &QPushButton::clicked, parallel_, &ParallelCoordinatesPlot::clearBrushes);
  connect(sweeps_, &QComboBox::currentTextChanged, this, [this](const QString& name) {
    if (!updatingCombo_ && !name.isEmpty()) follow(name);
  });

  proxy_->setSourceModel(model_);
  proxy_->setSortRole(TrialTableModel::SortRole);
  proxy_->setDynamicSortFilter(true);
  table_->setObjectName("trialTable");
  table_->setModel(proxy_);
  table_->setSortingEnabled(true);
  table_->sortByColumn(0, Qt::AscendingOrder);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setAlternatingRowColors(true);
  table_->verticalHeader()->hide();
  table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 8);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->setWordWrap(false);
  table_->setToolTip(tr("Double-click a trial to open its run in the Run tab"));
  connect(table_, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
    const int row = proxy_->mapToSource(index).row();
    if (row < 0) return;
    const auto& trial = model_->trial(row);
    const auto it = snapshot_.runIds.find(trial.runUid);
    if (it != snapshot_.runIds.end()) emit openRunRequested(it->second);
    else emit message(tr("trial %1 has no run yet").arg(trial.trial));
  });
  filterNote_->setObjectName("trialFilterNote");
  filterNote_->hide();

  auto* bar = new QHBoxLayout;
  bar->addWidget(new QLabel(tr("Sweep")));
  bar->addWidget(sweeps_);
  bar->addWidget(stop_);
  bar->addWidget(resume_);
  bar->addWidget(progress_, 1);
  bar->addWidget(openBest_);
  bar->addWidget(compare_);
  bar->addWidget(topN_);

  // The table across the whole width (its parameters, scores and reasons need it); under it the
  // score by trial beside the parallel-coordinates plot.
  auto* tablePane = new QWidget;
  auto* tableLayout = new QVBoxLayout(tablePane);
  tableLayout->setContentsMargins(0, 0, 0, 0);
  tableLayout->addWidget(table_, 1);
  tableLayout->addWidget(filterNote_);
  auto* parallelPane = new QWidget;
  auto* parallelLayout = new QVBoxLayout(parallelPane);
  parallelLayout->setContentsMargins(0, 0, 0, 0);
  auto* parallelBar = new QHBoxLayout;
  auto* parallelTitle = new QLabel(tr("<b>Trials across the swept fields</b>"));
  parallelBar->addWidget(parallelTitle);
  parallelBar->addStretch(1);
  parallelBar->addWidget(clearBrushes_);
  parallelLayout->addLayout(parallelBar);
  parallelLayout->addWidget(parallel_, 1);
  auto* bottom = new QSplitter(Qt::Horizontal);
  bottom->addWidget(chart_);
  bottom->addWidget(parallelPane);
  bottom->setStretchFactor(0, 1);
  bottom->setStretchFactor(1, 2);
  auto* split = new QSplitter(Qt::Vertical);
  split->setObjectName("sweepSplitter");
  split->addWidget(tablePane);
  split->addWidget(bottom);
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 1);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(bar);
  layout->addWidget(summary_);
  layout->addWidget(split, 1);

  connect(reader_, &SweepReader::snapshotRead, this, &SweepView::display);
  connect(reader_, &SweepReader::unavailable, this, [this](const QString& reason) {
    summary_->setText(tr("No tracker to read sweeps from: %1").arg(reason));
  });
  connect(parallel_, &ParallelCoordinatesPlot::brushesChanged, this, &SweepView::applyBrushes);
  summary_->setText(tr("No sweep yet: right-click a field of the experiment form and choose Sweep this field…"));
  updateActions();
}

void SweepView::setDatabase(const QString& path) { reader_->setDatabase(path); }

void SweepView::follow(const QString& name) {
  if (name == reader_->followed()) return reader_->pollNow();
  reader_->follow(name);
}

void SweepView::setWorkerState(const QString& runningSweep, const QString& progress, bool stopping) {
  const bool changed = runningSweep != runningSweep_ || stopping != stopping_;
  runningSweep_ = runningSweep;
  stopping_ = stopping;
  progress_->setText(runningSweep.isEmpty() ? QString()
                     : stopping             ? tr("stopping after the current step…")
                                            : progress);
  if (changed) {
    updateActions();
    reader_->pollNow();
  }
}

void SweepView::display(const SweepSnapshot& snapshot) {
  snapshot_ = snapshot;
  updatingCombo_ = true;
  QStringList names;
  for (const auto& n : snapshot.sweepNames) names << QString::fromStdString(n);
  QStringList current;
  for (int i = 0; i < sweeps_->count(); ++i) current << sweeps_->itemText(i);
  if (names != current) {
    sweeps_->clear();
    sweeps_->addItems(names);
  }
  if (snapshot.hasSweep) sweeps_->setCurrentText(QString::fromStdString(snapshot.sweep.name));
  updatingCombo_ = false;

  model_->setSnapshot(snapshot);
  chart_->setSnapshot(snapshot);
  parallel_->setSnapshot(snapshot);
  summary_->setText(summaryText());
  applyBrushes();
  updateActions();
  emit shown();
}

QString SweepView::summaryText() const {
  if (!snapshot_.hasSweep) return tr("No sweep yet: right-click a field of the experiment form and choose Sweep this field…");
  int counts[5] = {0, 0, 0, 0, 0};
  int foldTrainings = 0;
  for (const auto& t : snapshot_.trials) {
    ++counts[static_cast<int>(t.status)];
    foldTrainings += static_cast<int>(t.scores.size());
  }
  using S = tracker::TrialStatus;
  QStringList parts;
  const auto add = [&](S s, const QString& word) {
    if (counts[static_cast<int>(s)] > 0) parts << QStringLiteral("%1 %2").arg(counts[static_cast<int>(s)]).arg(word);
  };
  add(S::Finished, tr("finished"));
  add(S::Pruned, tr("pruned"));
  add(S::Running, tr("running"));
  add(S::Pending, tr("pending"));
  add(S::Failed, tr("failed"));
  const auto& spec = snapshot_.spec;
  QString text = tr("<b>%1</b>: %2 of %3 trials").arg(QString::fromStdString(snapshot_.sweep.name).toHtmlEscaped())
                     .arg(snapshot_.trials.size())
                     .arg(spec.maxTrials > 0 ? QString::number(spec.maxTrials) : tr("unlimited"));
  if (!parts.isEmpty()) text += QStringLiteral(" (%1)").arg(parts.join(QStringLiteral(", ")));
  text += tr(", %1 fold trainings").arg(foldTrainings);
  text += QStringLiteral(" · %1, %2").arg(QString::fromLatin1(nameOf(spec.sampler)),
                                         spec.racing.test == sweep::RaceTest::None
                                             ? tr("no racing")
                                             : tr("racing by %1 at alpha %2").arg(QString::fromLatin1(nameOf(spec.racing.test))).arg(spec.racing.alpha));
  if (const auto* best = bestTrial(snapshot_))
    text += tr(" · best: trial %1, <b>%2</b> ± %3").arg(best->trial).arg(best->mean, 0, 'f', 4).arg(best->stddev, 0, 'f', 4);
  if (!snapshot_.specError.empty()) text += tr(" · the stored spec is unreadable: %1").arg(QString::fromStdString(snapshot_.specError).toHtmlEscaped());
  return text;
}

void SweepView::applyBrushes() {
  if (parallel_->isBrushed()) {
    proxy_->setAllowedTrials(parallel_->passingTrials());
    filterNote_->setText(tr("%1 of %2 trials shown: those within every range of the plot below")
                             .arg(proxy_->rowCount())
                             .arg(model_->rowCount()));
    filterNote_->show();
  } else if (proxy_->isFiltering()) {
    proxy_->setAllowedTrials(std::nullopt);
    filterNote_->hide();
  }
  clearBrushes_->setEnabled(parallel_->isBrushed());
}

int SweepView::shownTrials() const { return proxy_->rowCount(); }

void SweepView::updateActions() {
  // This window's sweep is the one shown (or about to be: followed, its first read under way).
  const bool ours = !runningSweep_.isEmpty() &&
                    (reader_->followed() == runningSweep_ ||
                     (snapshot_.hasSweep && runningSweep_ == QString::fromStdString(snapshot_.sweep.name)));
  stop_->setEnabled(ours && !stopping_);
  stop_->setVisible(ours);
  resume_->setVisible(!ours);
  resume_->setEnabled(snapshot_.hasSweep && runningSweep_.isEmpty());
  openBest_->setEnabled(bestTrial(snapshot_) != nullptr);
  compare_->setEnabled(topRunIds(2).size() >= 2);
}

QString SweepView::bestTrialConfigJson() const {
  const auto* best = bestTrial(snapshot_);
  if (!best) return {};
  try {
    const auto base = config::fromJson(snapshot_.sweep.baseConfigJson, "sweep " + snapshot_.sweep.name);
    auto config = sweep::trialConfig(base, best->params);
    config.run.name = snapshot_.sweep.name + "-best";
    return QString::fromStdString(config::toJson(config));
  } catch (const std::exception&) {
    return {};
  }
}

QList<qint64> SweepView::topRunIds(int n) const {
  std::vector<const tracker::TrialRecord*> ranked;
  for (const auto& t : snapshot_.trials)
    if (!t.scores.empty() && snapshot_.runIds.count(t.runUid) &&
        (t.status == tracker::TrialStatus::Finished || t.status == tracker::TrialStatus::Pruned))
      ranked.push_back(&t);
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto* a, const auto* b) {
    const bool fa = a->status == tracker::TrialStatus::Finished, fb = b->status == tracker::TrialStatus::Finished;
    if (fa != fb) return fa;
    return a->mean > b->mean;
  });
  QList<qint64> ids;
  for (const auto* t : ranked) {
    if (ids.size() >= n) break;
    ids << snapshot_.runIds.at(t->runUid);
  }
  return ids;
}

void SweepView::openBestTrial() {
  const QString json = bestTrialConfigJson();
  if (json.isEmpty()) {
    emit message(tr("no finished trial yet"));
    return;
  }
  const auto* best = bestTrial(snapshot_);
  QStringList params;
  for (const auto& [key, value] : best->params) params << QString::fromStdString(key + "=" + value);
  emit message(tr("trial %1 of %2 (%3) put into the editor").arg(best->trial).arg(QString::fromStdString(snapshot_.sweep.name), params.join(", ")));
  emit openConfigRequested(json);
}

void SweepView::compareTop(int n) {
  const auto ids = topRunIds(n);
  if (ids.size() < 2) {
    emit message(tr("comparing needs two trials with runs"));
    return;
  }
  emit compareRequested(ids);
}

}  // namespace foldbench::ui
