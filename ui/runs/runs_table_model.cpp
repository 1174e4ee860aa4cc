#include "runs/runs_table_model.h"

#include <QDateTime>
#include <QHash>
#include <QLocale>
#include <QFont>
#include <algorithm>
#include <cmath>

#include "foldbench/tracker/run_pruning.h"
#include "shared/run_status.h"

namespace foldbench::ui {

namespace {

bool isParam(const QString& key) { return key.startsWith(QLatin1String("params.")); }
bool isField(const QString& key) { return key.contains('/'); }
QString stdKey(const QString& meanKey) { return meanKey.left(meanKey.size() - 4) + "std"; }

QString number(double v) { return QLocale().toString(v, 'f', 4); }

// The leaf of a cv/<leaf>/mean key ("val/acc"), or empty.
QString meanLeaf(const QString& key) {
  if (!key.startsWith(QLatin1String("cv/")) || !key.endsWith(QLatin1String("/mean"))) return {};
  return key.mid(3, key.size() - 8);
}

}  // namespace

std::optional<PartialStat> partialStat(const tracker::RunRow& run, const QString& meanKey) {
  const QString leaf = meanLeaf(meanKey);
  if (leaf.isEmpty()) return std::nullopt;
  const std::string suffix = "/" + leaf.toStdString();
  std::vector<double> values;
  for (const auto& [key, field] : run.fields) {
    // fold/<k>/<leaf>, k digits only
    if (key.rfind("fold/", 0) != 0 || key.size() <= 5 + suffix.size() || !field.number) continue;
    if (key.compare(key.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
    const std::string k = key.substr(5, key.size() - 5 - suffix.size());
    if (k.empty() || k.find_first_not_of("0123456789") != std::string::npos) continue;
    values.push_back(*field.number);
  }
  if (values.empty()) return std::nullopt;
  PartialStat s;
  s.done = static_cast<int>(values.size());
  for (double v : values) s.mean += v;
  s.mean /= s.done;
  for (double v : values) s.stddev += (v - s.mean) * (v - s.mean);
  s.stddev = std::sqrt(s.stddev / s.done);
  const auto param = [&](const char* name) {
    const auto it = run.params.find(name);
    return it == run.params.end() ? std::string() : it->second;
  };
  if (param("kfold.enabled") == "false" || (!param("kfold.fold").empty() && param("kfold.fold") != "-1")) s.total = 1;
  else s.total = QString::fromStdString(param("kfold.folds")).toInt();
  return s;
}

void addFoldProgress(tracker::RunRow& row, const tracker::RunDetail& detail) {
  for (const auto& f : detail.fields)
    if (f.key.rfind("fold/", 0) == 0 && f.number) row.fields[f.key] = f;
  for (const auto& [key, value] : detail.params)
    if (key.rfind("kfold.", 0) == 0) row.params[key] = value;
}

QStringList RunsTableModel::defaultColumns() {
  return {"status",         "name",        "uid",
          "started",        "duration",    "params.model.family",
          "cv/val/acc/mean", "cv/val/micro_f1/mean", "cv/oof/acc",
          "sys/disk_bytes",  "tags"};
}

QString columnTitle(const QString& key) {
  static const QHash<QString, QString> titles = {
      {"status", QObject::tr("Status")},       {"name", QObject::tr("Name")},
      {"uid", QObject::tr("Run")},             {"started", QObject::tr("Started")},
      {"duration", QObject::tr("Duration")},   {"tags", QObject::tr("Tags")},
      {"params.model.family", QObject::tr("Family")},
      {"cv/val/acc/mean", QObject::tr("Val acc")}, {"cv/val/micro_f1/mean", QObject::tr("Val micro-F1")},
      {"cv/oof/acc", QObject::tr("OOF acc")},     {"sys/disk_bytes", QObject::tr("Size")},
      {"sweep/name", QObject::tr("Sweep")},       {"sweep/trial", QObject::tr("Trial")}};
  return titles.value(key, isParam(key) ? key.mid(7) : key);
}

RunsTableModel::RunsTableModel(QObject* parent) : QAbstractTableModel(parent), columns_(defaultColumns()) {}

void RunsTableModel::setColumns(const QStringList& keys) {
  beginResetModel();
  columns_ = keys;
  endResetModel();
}

tracker::ListQuery RunsTableModel::query(const QString& filter) const {
  tracker::ListQuery q;
  q.filter = filter.toStdString();
  q.sort = "-created";
  for (const auto& key : columns_) {
    if (isParam(key)) q.params.push_back(key.mid(7).toStdString());
    else if (isField(key)) {
      q.fields.push_back(key.toStdString());
      if (key.endsWith(QLatin1String("/mean"))) q.fields.push_back(stdKey(key).toStdString());
    }
  }
  return q;
}

bool RunsTableModel::isPartial(const tracker::RunRow& run, const QString& key) {
  return !meanLeaf(key).isEmpty() && !run.fields.count(key.toStdString()) && partialStat(run, key).has_value();
}

bool RunsTableModel::sameContent(const tracker::RunRow& a, const tracker::RunRow& b) {
  const auto& x = a.info;
  const auto& y = b.info;
  if (x.status != y.status || x.name != y.name || x.finishedAt != y.finishedAt || x.heartbeatAt != y.heartbeatAt ||
      a.tags != b.tags || a.params != b.params || a.fields.size() != b.fields.size())
    return false;
  for (const auto& [key, field] : a.fields) {
    const auto it = b.fields.find(key);
    if (it == b.fields.end() || it->second.number != field.number || it->second.text != field.text) return false;
  }
  return true;
}

void RunsTableModel::setRuns(std::vector<tracker::RunRow> runs, double now) {
  std::unordered_map<std::int64_t, std::size_t> incoming;
  for (std::size_t i = 0; i < runs.size(); ++i) incoming[runs[i].id] = i;
  // Rows that are gone, as contiguous blocks (bottom up). Many scattered blocks (a new filter)
  // cost a sorted proxy far more than one reset, so those reset the model instead.
  std::vector<std::pair<int, int>> blocks;
  for (int row = static_cast<int>(runs_.size()) - 1; row >= 0; --row) {
    if (incoming.count(runs_[static_cast<std::size_t>(row)].id)) continue;
    if (!blocks.empty() && blocks.back().first == row + 1) blocks.back().first = row;
    else blocks.emplace_back(row, row);
  }
  if (blocks.size() > 16) {
    beginResetModel();
    runs_ = std::move(runs);
    statuses_.clear();
    rowOfId_.clear();
    for (std::size_t i = 0; i < runs_.size(); ++i) {
      statuses_.push_back(displayedStatus(runs_[i].info, now));
      rowOfId_[runs_[i].id] = static_cast<int>(i);
    }
    endResetModel();
    return;
  }
  for (const auto& [first, last] : blocks) {
    beginRemoveRows({}, first, last);
    runs_.erase(runs_.begin() + first, runs_.begin() + last + 1);
    statuses_.erase(statuses_.begin() + first, statuses_.begin() + last + 1);
    endRemoveRows();
  }
  if (!blocks.empty()) {
    rowOfId_.clear();
    for (std::size_t i = 0; i < runs_.size(); ++i) rowOfId_[runs_[i].id] = static_cast<int>(i);
  }
  mergeRuns(std::move(runs), now);
}

void RunsTableModel::mergeRuns(std::vector<tracker::RunRow> runs, double now) {
  std::vector<std::size_t> fresh;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const auto it = rowOfId_.find(runs[i].id);
    if (it == rowOfId_.end()) {
      fresh.push_back(i);
      continue;
    }
    const auto row = static_cast<std::size_t>(it->second);
    const RunStatus status = displayedStatus(runs[i].info, now);
    if (sameContent(runs_[row], runs[i]) && status == statuses_[row]) continue;
    runs_[row] = std::move(runs[i]);
    statuses_[row] = status;
    emit dataChanged(index(it->second, 0), index(it->second, columnCount() - 1));
  }
  if (fresh.empty()) return;
  const int first = static_cast<int>(runs_.size());
  beginInsertRows({}, first, first + static_cast<int>(fresh.size()) - 1);
  for (auto i : fresh) {
    statuses_.push_back(displayedStatus(runs[i].info, now));
    rowOfId_[runs[i].id] = static_cast<int>(runs_.size());
    runs_.push_back(std::move(runs[i]));
  }
  endInsertRows();
}

void RunsTableModel::removeRuns(const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return;
  std::vector<int> rows;
  for (auto id : ids)
    if (const int row = rowOf(id); row >= 0) rows.push_back(row);
  std::sort(rows.rbegin(), rows.rend());
  for (int row : rows) {
    beginRemoveRows({}, row, row);
    runs_.erase(runs_.begin() + row);
    statuses_.erase(statuses_.begin() + row);
    endRemoveRows();
  }
  rowOfId_.clear();
  for (std::size_t i = 0; i < runs_.size(); ++i) rowOfId_[runs_[i].id] = static_cast<int>(i);
}

void RunsTableModel::recheckRunning(double now) {
  for (std::size_t row = 0; row < runs_.size(); ++row) {
    // Queued cluster runs too: they show as running once their tasks start.
    if (statuses_[row] != RunStatus::Running && statuses_[row] != RunStatus::Queued) continue;
    const RunStatus status = displayedStatus(runs_[row].info, now);
    if (status == statuses_[row]) continue;
    statuses_[row] = status;
    emit dataChanged(index(static_cast<int>(row), 0), index(static_cast<int>(row), columnCount() - 1));
  }
}

int RunsTableModel::rowOf(std::int64_t id) const {
  const auto it = rowOfId_.find(id);
  return it == rowOfId_.end() ? -1 : it->second;
}

int RunsTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(runs_.size());
}

int RunsTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : columns_.size(); }

QVariant RunsTableModel::display(const tracker::RunRow& run, int row, const QString& key) const {
  if (key == "status") return statusText(statuses_[static_cast<std::size_t>(row)]);
  if (key == "name") return QString::fromStdString(run.info.name);
  if (key == "uid") return QString::fromStdString(run.info.uid);
  if (key == "started")
    return QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(run.info.createdAt * 1000)).toString("yyyy-MM-dd HH:mm");
  if (key == "duration") return formatDuration(runDuration(run.info));
  if (key == "tags") {
    QStringList tags;
    for (const auto& t : run.tags) tags << QString::fromStdString(t);
    return tags.join(", ");
  }
  if (isParam(key)) {
    const auto it = run.params.find(key.mid(7).toStdString());
    return it == run.params.end() ? QVariant() : QString::fromStdString(it->second);
  }
  const auto it = run.fields.find(key.toStdString());
  if (it == run.fields.end()) {
    const auto partial = partialStat(run, key);
    if (!partial) return {};
    QString text = number(partial->mean);
    if (partial->done > 1) text += QString::fromUtf8(" ± ") + number(partial->stddev);
    return partial->total > 0 ? tr("%1 (%2/%3)").arg(text).arg(partial->done).arg(partial->total)
                              : tr("%1 (%n fold(s))", nullptr, partial->done).arg(text);
  }
  if (!it->second.number) return QString::fromStdString(it->second.text);
  if (key == QLatin1String("sys/disk_bytes")) return QString::fromStdString(tracker::formatBytes(*it->second.number));
  QString text = number(*it->second.number);
  if (key.endsWith(QLatin1String("/mean"))) {
    const auto sd = run.fields.find(stdKey(key).toStdString());
    if (sd != run.fields.end() && sd->second.number) text += QString::fromUtf8(" ± ") + number(*sd->second.number);
  }
  return text;
}

QVariant RunsTableModel::sortValue(const tracker::RunRow& run, int row, const QString& key) const {
  if (key == "started") return run.info.createdAt;
  if (key == "duration") return runDuration(run.info);
  if (isField(key) && !isParam(key)) {
    const auto it = run.fields.find(key.toStdString());
    if (it != run.fields.end() && it->second.number) return *it->second.number;
    if (it == run.fields.end())
      if (const auto partial = partialStat(run, key)) return partial->mean;
    return -1e300;  // runs without the value sort below every run with one
  }
  if (isParam(key)) {
    const auto it = run.params.find(key.mid(7).toStdString());
    if (it == run.params.end()) return QString();
    bool ok = false;
    const double v = QString::fromStdString(it->second).toDouble(&ok);
    return ok ? QVariant(v) : QVariant(QString::fromStdString(it->second));
  }
  return display(run, row, key);
}

QVariant RunsTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount()) return {};
  const auto& run = runs_[static_cast<std::size_t>(index.row())];
  const QString& key = columns_[index.column()];
  switch (role) {
    case Qt::DisplayRole: return display(run, index.row(), key);
    case SortRole: return sortValue(run, index.row(), key);
    case RunIdRole: return static_cast<qlonglong>(run.id);
    case StatusRole: return static_cast<int>(statuses_[static_cast<std::size_t>(index.row())]);
    case Qt::DecorationRole:
      return key == "status" ? QVariant(statusIcon(statuses_[static_cast<std::size_t>(index.row())])) : QVariant();
    case Qt::ToolTipRole:
      if (key == "status" && !run.info.error.empty()) return QString::fromStdString(run.info.error);
      if (key == "status" && statuses_[static_cast<std::size_t>(index.row())] != run.info.status)
        return tr("The training process is gone; the tracker marks this run crashed when it is next opened for writing");
      if (isPartial(run, key)) {
        const auto partial = partialStat(run, key);
        return partial->total > 0
                   ? tr("Mean ± std over the %1 of %2 folds finished so far; the run's value comes when it ends")
                         .arg(partial->done).arg(partial->total)
                   : tr("Mean ± std over the folds finished so far; the run's value comes when it ends");
      }
      return {};
    case Qt::FontRole:
      if (isPartial(run, key)) {
        QFont italic;
        italic.setItalic(true);
        return italic;
      }
      return {};
    case Qt::TextAlignmentRole:
      return isField(key) && !isParam(key) ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    default: return {};
  }
}

QVariant RunsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= columns_.size()) return {};
  if (role == Qt::DisplayRole) return columnTitle(columns_[section]);
  if (role == Qt::ToolTipRole) return columns_[section];
  return {};
}

}  // namespace foldbench::ui
