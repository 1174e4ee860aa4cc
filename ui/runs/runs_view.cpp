#include "runs/runs_view.h"

#include <QAction>
#include <QApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QRegularExpression>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QStandardPaths>
#include <QTimer>
#include <memory>
#include <QElapsedTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <unordered_set>

#include "foldbench/cluster/settle_run.h"
#include "foldbench/tracker/filter.h"
#include "foldbench/tracker/run_pruning.h"
#include "runs/runs_table_model.h"
#include "tracker/tracker_reader.h"
#include "widgets/data_table.h"

namespace foldbench::ui {

namespace {
const char* kColumnsKey = "runs/columns";
const char* kHeaderKey = "runs/header";

QStringList splitTags(const QString& text) {
  QStringList tags;
  for (const auto& t : text.split(QRegularExpression("[,\\s]+"), Qt::SkipEmptyParts)) tags << t;
  return tags;
}
}  // namespace

RunsView::RunsView(TrackerReader* store, QWidget* parent)
    : QWidget(parent),
      store_(store),
      model_(new RunsTableModel(this)),
      proxy_(new QSortFilterProxyModel(this)),
      table_(new QTableView),
      filter_(new QLineEdit),
      filterError_(new QLabel),
      count_(new QLabel),
      columnsButton_(new QToolButton),
      filterDelay_(new QTimer(this)) {
  const QStringList saved = QSettings().value(kColumnsKey).toStringList();
  if (!saved.isEmpty()) model_->setColumns(saved);
  proxy_->setSourceModel(model_);
  proxy_->setSortRole(RunsTableModel::SortRole);
  proxy_->setDynamicSortFilter(true);

  filter_->setPlaceholderText(tr("Filter, e.g.  cv/val/acc/mean > 0.6 and status = finished and not tag = smoke"));
  filter_->setClearButtonEnabled(true);
  filter_->setToolTip(tr("Fields: status, name, experiment, uid, host, device, created, tag, params.<key>, and any "
                         "tracked field (cv/val/acc/mean). Operators: = != < <= > >= ~ (contains), and, or, not."));
  filterError_->setObjectName("filterError");
  filterError_->setStyleSheet("color: #c0392b;");
  filterError_->setWordWrap(true);
  filterError_->hide();
  columnsButton_->setText(tr("Columns"));
  columnsButton_->setToolTip(tr("Choose the columns: any parameter or tracked field"));
  connect(columnsButton_, &QToolButton::clicked, this, &RunsView::showColumnMenu);
  auto* refreshButton = new QToolButton;
  refreshButton->setText(tr("Refresh"));
  refreshButton->setShortcut(QKeySequence::Refresh);
  refreshButton->setToolTip(tr("Read the tracker again (F5); it is also followed automatically"));
  connect(refreshButton, &QToolButton::clicked, this, &RunsView::refresh);

  table_->setModel(proxy_);
  table_->setSortingEnabled(true);
  table_->sortByColumn(model_->columns().indexOf("started"), Qt::DescendingOrder);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setAlternatingRowColors(true);
  table_->setContextMenuPolicy(Qt::CustomContextMenu);
  table_->verticalHeader()->hide();
  table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 8);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
  table_->horizontalHeader()->setStretchLastSection(true);
  headerRestored_ = table_->horizontalHeader()->restoreState(QSettings().value(kHeaderKey).toByteArray());
  connect(table_, &QTableView::customContextMenuRequested, this, &RunsView::showContextMenu);
  connect(table_, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
    emit openRequested(proxy_->data(index, RunsTableModel::RunIdRole).toLongLong());
  });
  connect(table_->horizontalHeader(), &QHeaderView::sectionResized, this, [this] {
    // Only a drag is the user's choice; layout passes (the stretched last column) are not.
    if (fitting_ || QApplication::mouseButtons() == Qt::NoButton) return;
    headerRestored_ = true;  // the user sized a column: keep their widths
    QSettings().setValue(kHeaderKey, table_->horizontalHeader()->saveState());
  });

  auto* bar = new QHBoxLayout;
  bar->addWidget(filter_, 1);
  bar->addWidget(columnsButton_);
  bar->addWidget(refreshButton);
  bar->addWidget(count_);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(bar);
  layout->addWidget(filterError_);
  layout->addWidget(table_, 1);

  filterDelay_->setSingleShot(true);
  filterDelay_->setInterval(300);
  connect(filterDelay_, &QTimer::timeout, this, &RunsView::applyFilterText);
  connect(filter_, &QLineEdit::textChanged, filterDelay_, qOverload<>(&QTimer::start));
  connect(filter_, &QLineEdit::returnPressed, this, &RunsView::applyFilterText);
  connect(store_, &TrackerReader::changed, this, &RunsView::followChange);
  connect(store_, &TrackerReader::wrote, this, &RunsView::refresh);
  refresh();  // the store may have opened before this view was connected
  // A training process that dies writes nothing: check the running rows' processes now and then.
  auto* watchRunning = new QTimer(this);
  watchRunning->setInterval(3000);
  connect(watchRunning, &QTimer::timeout, this, [this] { model_->recheckRunning(tracker::nowSeconds()); });
  watchRunning->start();
  // Where Slurm is at hand, cluster runs whose jobs were cancelled before their merge are
  // settled here too, not only by `cluster status`.
  if (!QStandardPaths::findExecutable("squeue").isEmpty()) {
    auto* watchCluster = new QTimer(this);
    watchCluster->setInterval(30000);
    connect(watchCluster, &QTimer::timeout, this, &RunsView::settleAbandonedClusterRuns);
    watchCluster->start();
  }
  connect(store_, &TrackerReader::unavailable, this, [this](const QString& reason) {
    count_->setText(tr("no tracker"));
    count_->setToolTip(reason);
  });

  confirm = [this](const QString& title, const QString& question) {
    return QMessageBox::question(this, title, question) == QMessageBox::Yes;
  };
  auto* open = new QAction(this);
  open->setShortcuts({QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter)});
  open->setShortcutContext(Qt::WidgetShortcut);
  connect(open, &QAction::triggered, this, [this] {
    const auto ids = selectedRunIds();
    if (!ids.isEmpty()) emit openRequested(ids.first());
  });
  table_->addAction(open);
  auto* remove = new QAction(this);
  remove->setShortcut(QKeySequence::Delete);
  remove->setShortcutContext(Qt::WidgetShortcut);
  connect(remove, &QAction::triggered, this, [this] { deleteRuns(selectedRunIds()); });
  table_->addAction(remove);
}

void RunsView::setFilter(const QString& text) {
  filter_->setText(text);
  applyFilterText();
}

QString RunsView::filterError() const { return filterError_->isHidden() ? QString() : filterError_->text(); }

void RunsView::applyFilterText() {
  filterDelay_->stop();
  const QString text = filter_->text().trimmed();
  try {
    tracker::parseFilter(text.toStdString());
  } catch (const tracker::FilterError& e) {
    filterError_->setText(tr("Filter: %1 (at character %2)").arg(QString::fromStdString(e.what())).arg(e.position() + 1));
    filterError_->show();
    filter_->setStyleSheet("QLineEdit { border: 1px solid #c0392b; }");
    return;
  }
  filterError_->hide();
  filter_->setStyleSheet({});
  if (text == activeFilter_ && listCount_ > 0) return;
  activeFilter_ = text;
  refresh();
}

void RunsView::refresh() { read(true); }

void RunsView::settleAbandonedClusterRuns() {
  std::vector<std::int64_t> unsettled;
  for (int row = 0; row < model_->rowCount(); ++row) {
    const auto& run = model_->run(row);
    if (tracker::isClusterRun(run.info) && (run.info.status == RunStatus::Queued || run.info.status == RunStatus::Running))
      unsettled.push_back(run.id);
  }
  if (unsettled.empty()) return;
  auto settled = std::make_shared<QStringList>();
  store_->write(
      this,
      [unsettled, settled](tracker::RunStore& s) {
        for (auto id : unsettled)
          if (const auto reason = cluster::settleIfJobsGone(s, id))
            settled->append(QString::fromStdString(s.showRun(id).info.uid + ": failed, " + *reason));
      },
      [this, settled](const QString& error) {
        if (!error.isEmpty()) emit message(error);
        for (const auto& line : *settled) emit message(line);
      });
}

void RunsView::followChange() {
  // Every change re-reads only what was touched since the last read; now and then a full read
  // also catches what leaves no trace in the touched times (deletions and tags by other processes).
  const bool stale = !lastFullRead_.isValid() || lastFullRead_.hasExpired(30000);
  read(stale);
}

void RunsView::read(bool full) {
  if (reading_) {
    // One more read when this one is back: changes are never lost, reads never pile up.
    pending_ = true;
    pendingFull_ = pendingFull_ || full;
    return;
  }
  reading_ = true;
  pending_ = pendingFull_ = false;
  auto query = model_->query(activeFilter_);
  if (!full) query.touchedSince = lastReadStarted_ - 2.0;  // a margin for clocks and commit order
  const double started = tracker::nowSeconds();
  listClock_.start();
  store_->read<Listing>(
      this,
      [query](const tracker::RunStore& s) {
        Listing out;
        const tracker::RunStore::Snapshot snapshot(s);
        out.rows = s.listRuns(query);
        // A run still training has no cv/ fields yet: its finished folds give a partial mean.
        for (auto& row : out.rows)
          if (row.info.status == RunStatus::Running) addFoldProgress(row, s.showRun(row.id));
        if (query.touchedSince > 0.0 && !query.filter.empty()) {
          // Touched runs that no longer match the filter must leave the table.
          tracker::ListQuery touched;
          touched.touchedSince = query.touchedSince;
          for (const auto& r : s.listRuns(touched)) out.touched.push_back(r.id);
        }
        return out;
      },
      [this, full, started](Listing listing) {
        lastListMs_ = static_cast<double>(listClock_.nsecsElapsed()) / 1e6;
        lastReadStarted_ = started;
        if (full) lastFullRead_.start();
        const bool firstRows = model_->rowCount() == 0;
        if (full) {
          model_->setRuns(std::move(listing.rows), tracker::nowSeconds());
        } else {
          std::unordered_set<std::int64_t> matching;
          for (const auto& r : listing.rows) matching.insert(r.id);
          std::vector<std::int64_t> leaving;
          for (auto id : listing.touched)
            if (!matching.count(id)) leaving.push_back(id);
          model_->removeRuns(leaving);
          model_->mergeRuns(std::move(listing.rows), tracker::nowSeconds());
        }
        reading_ = false;
        // Until the user sizes a column, columns follow their contents (values arrive as runs finish).
        if ((!headerRestored_ && (firstRows || model_->rowCount() < 2000)) || columnsChanged_) fitColumns();
        columnsChanged_ = false;
        ++listCount_;
        count_->setText(tr("%n run(s)", nullptr, model_->rowCount()));
        count_->setToolTip(store_->database());
        emit listed();
        if (pending_) read(pendingFull_);
      },
      [this](const QString& error) {
        reading_ = false;
        count_->setText(tr("no tracker"));
        count_->setToolTip(error);
        if (pending_) read(pendingFull_);
      });
}

QList<qint64> RunsView::selectedRunIds() const {
  QList<qint64> ids;
  for (const auto& index : table_->selectionModel()->selectedRows())
    ids << proxy_->data(index, RunsTableModel::RunIdRole).toLongLong();
  return ids;
}

void RunsView::selectRun(qint64 id) {
  const int row = model_->rowOf(id);
  if (row < 0) return;
  const auto index = proxy_->mapFromSource(model_->index(row, 0));
  table_->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  table_->scrollTo(index);
}

void RunsView::addColumn(const QString& key) {
  if (key.isEmpty() || model_->columns().contains(key)) return;
  columnsChanged_ = true;
  model_->setColumns(QStringList(model_->columns()) << key);
  saveColumns();
  refresh();
}

void RunsView::resetColumns() {
  columnsChanged_ = true;
  model_->setColumns(RunsTableModel::defaultColumns());
  saveColumns();
  refresh();
}

void RunsView::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (!headerRestored_) fitColumns();  // a hidden table cannot fit its width
}

void RunsView::fitColumns() {
  fitting_ = true;
  ui::fitColumns(table_, 320, false);  // every column at its content's width; the table scrolls
  fitting_ = false;
}

void RunsView::saveColumns() { QSettings().setValue(kColumnsKey, model_->columns()); }

void RunsView::showColumnMenu() {
  QMenu menu(this);
  QStringList offered = RunsTableModel::defaultColumns();
  for (const char* extra : {"params.train.lr", "params.train.epochs", "params.train.batch_size", "params.input.format",
                            "params.train.loss", "params.train.scheduler", "cv/train/acc/mean", "cv/val/loss/mean",
                            "sys/seconds", "sys/device"})
    offered << extra;
  for (const auto& key : model_->columns())
    if (!offered.contains(key)) offered << key;
  for (const auto& key : offered) {
    auto* action = menu.addAction(columnTitle(key) + (columnTitle(key) == key ? QString() : "  (" + key + ")"));
    action->setCheckable(true);
    action->setChecked(model_->columns().contains(key));
    connect(action, &QAction::toggled, this, [this, key](bool on) {
      QStringList columns = model_->columns();
      if (on) columns << key;
      else columns.removeAll(key);
      if (columns.isEmpty()) return;
      columnsChanged_ = true;
      model_->setColumns(columns);
      saveColumns();
      refresh();
    });
  }
  menu.addSeparator();
  menu.addAction(tr("Add Column…"), this, [this] {
    bool ok = false;
    const QString key = QInputDialog::getText(this, tr("Add Column"),
                                              tr("A parameter (params.train.lr) or a tracked field (cv/val/acc/mean):"),
                                              QLineEdit::Normal, {}, &ok).trimmed();
    if (ok) addColumn(key);
  });
  menu.addAction(tr("Reset Columns"), this, &RunsView::resetColumns);
  menu.exec(columnsButton_->mapToGlobal(QPoint(0, columnsButton_->height())));
}

void RunsView::showContextMenu(const QPoint& at) {
  const auto ids = selectedRunIds();
  if (ids.isEmpty()) return;
  bool anyRunning = false;
  for (const auto& index : table_->selectionModel()->selectedRows())
    anyRunning = anyRunning || static_cast<RunStatus>(proxy_->data(index, RunsTableModel::StatusRole).toInt()) == RunStatus::Running;
  QMenu menu(this);
  menu.addAction(tr("Open"), this, [this, ids] { emit openRequested(ids.first()); });
  auto* compare = menu.addAction(tr("Compare Selected"), this, [this, ids] { emit compareRequested(ids); });
  compare->setEnabled(ids.size() >= 2);
  menu.addAction(tr("Export Ensemble of Selected…"), this, [this, ids] { emit exportRequested(ids); });
  menu.addAction(tr("Export Submission (One Click)"), this, [this, ids] { emit quickExportRequested(ids); });
  menu.addAction(tr("Clone Settings into the Editor"), this, [this, id = ids.first()] {
    store_->read<std::string>(
        this, [id](const tracker::RunStore& s) { return s.showRun(id).info.configJson; },
        [this](std::string json) { emit cloneRequested(QString::fromStdString(json)); },
        [this](const QString& error) { emit message(error); });
  });
  menu.addSeparator();
  menu.addAction(tr("Tag…"), this, [this, ids] {
    bool ok = false;
    const QString text = QInputDialog::getText(this, tr("Tag Runs"), tr("Tags (comma or space separated):"),
                                               QLineEdit::Normal, {}, &ok);
    if (ok) tagRuns(ids, splitTags(text));
  });
  menu.addAction(tr("Note…"), this, [this, id = ids.first()] {
    bool ok = false;
    const QString text = QInputDialog::getMultiLineText(this, tr("Add Note"), tr("Note:"), {}, &ok);
    if (ok && !text.trimmed().isEmpty()) addNote(id, text.trimmed());
  });
  auto* rename = menu.addAction(tr("Rename…"), this, [this, id = ids.first()] {
    const int row = model_->rowOf(id);
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Rename Run"), tr("Name:"), QLineEdit::Normal,
                                               row < 0 ? QString() : QString::fromStdString(model_->run(row).info.name), &ok);
    if (ok) renameRun(id, name.trimmed());
  });
  rename->setEnabled(ids.size() == 1);
  auto* prune = menu.addAction(tr("Prune Checkpoints…"), this, [this, ids] { pruneRuns(ids); });
  prune->setEnabled(!anyRunning);
  prune->setToolTip(anyRunning ? tr("A running run cannot be pruned")
                               : tr("Delete the fold checkpoints to free disk space; metrics and out-of-fold "
                                    "predictions stay, the run can no longer predict"));
  auto* remove = menu.addAction(tr("Delete…"), this, [this, ids] { deleteRuns(ids); });
  remove->setEnabled(!anyRunning);
  if (anyRunning) remove->setToolTip(tr("A running run cannot be deleted; stop it first"));
  menu.setToolTipsVisible(true);
  menu.exec(table_->viewport()->mapToGlobal(at));
}

void RunsView::reportWrite(const QString& error, const QString& done) {
  emit message(error.isEmpty() ? done : error);
  if (!error.isEmpty()) QMessageBox::warning(this, tr("Tracker"), error);
}

void RunsView::tagRuns(const QList<qint64>& ids, const QStringList& tags) {
  if (tags.isEmpty()) return;
  std::vector<std::string> list;
  for (const auto& t : tags) list.push_back(t.toStdString());
  store_->write(
      this, [ids, list](tracker::RunStore& s) { for (auto id : ids) s.addTags(id, list); },
      [this, tags, n = ids.size()](const QString& e) { reportWrite(e, tr("tagged %1 run(s) with %2").arg(n).arg(tags.join(", "))); });
}

void RunsView::addNote(qint64 id, const QString& text) {
  store_->write(
      this, [id, t = text.toStdString()](tracker::RunStore& s) { s.addNote(id, t, tracker::nowSeconds()); },
      [this](const QString& e) { reportWrite(e, tr("note added")); });
}

void RunsView::renameRun(qint64 id, const QString& name) {
  store_->write(
      this, [id, n = name.toStdString()](tracker::RunStore& s) { s.renameRun(id, n); },
      [this, name](const QString& e) { reportWrite(e, tr("renamed the run to %1").arg(name)); });
}

bool RunsView::deleteRuns(const QList<qint64>& ids) {
  if (ids.isEmpty()) return false;
  QStringList names;
  for (auto id : ids) {
    const int row = model_->rowOf(id);
    if (row < 0) continue;
    if (model_->statusOf(row) == RunStatus::Running) {
      emit message(tr("%1 is still training and cannot be deleted; stop it first")
                       .arg(QString::fromStdString(model_->run(row).info.uid)));
      return false;
    }
    names << QString::fromStdString(model_->run(row).info.uid);
  }
  if (names.isEmpty()) return false;
  if (confirm && !confirm(tr("Delete Runs?"), tr("Delete %n run(s) from the tracker?\n%1\n\nTheir files on disk are kept.", nullptr,
                             names.size()).arg(names.join("\n"))))
    return false;
  store_->write(
      this, [ids](tracker::RunStore& s) { for (auto id : ids) s.deleteRun(id, false); },
      [this, n = names.size()](const QString& e) { reportWrite(e, tr("deleted %n run(s)", nullptr, n)); });
  return true;
}

void RunsView::pruneRuns(const QList<qint64>& ids) {
  if (ids.isEmpty()) return;
  const std::vector<std::int64_t> runs(ids.begin(), ids.end());
  store_->read<std::vector<tracker::PrunePlan>>(
      this, [runs](const tracker::RunStore& s) { return tracker::planPrune(s, runs); },
      [this](std::vector<tracker::PrunePlan> plans) {
        std::uintmax_t bytes = 0;
        QStringList lines, refused;
        for (const auto& p : plans) {
          if (!p.refused.empty()) refused << QString::fromStdString(p.uid + ": " + p.refused);
          else if (!p.files.empty()) lines << QString::fromStdString(p.uid + "  " + tracker::formatBytes(static_cast<double>(p.bytes)));
          if (p.refused.empty()) bytes += p.bytes;
        }
        if (lines.isEmpty()) {
          emit message(refused.isEmpty() ? tr("Nothing to prune: the selected runs have no checkpoints left")
                                         : tr("Not pruned: %1").arg(refused.join("; ")));
          return;
        }
        const QString size = QString::fromStdString(tracker::formatBytes(static_cast<double>(bytes)));
        QString question = tr("Delete the checkpoints of %n run(s), freeing %1?\n%2\n\nMetrics, configs and out-of-fold "
                              "predictions stay, so the runs can still be browsed and compared, but they can no "
                              "longer predict.", nullptr, lines.size()).arg(size, lines.join("\n"));
        if (!refused.isEmpty()) question += "\n\n" + tr("Left alone: %1").arg(refused.join("\n"));
        if (confirm && !confirm(tr("Prune Checkpoints?"), question)) return;
        store_->write(
            this, [plans](tracker::RunStore& s) { tracker::prune(s, plans); },
            [this, size](const QString& e) { reportWrite(e, tr("pruned: %1 freed").arg(size)); });
      },
      [this](const QString& error) { emit message(error); });
}

}  // namespace foldbench::ui
