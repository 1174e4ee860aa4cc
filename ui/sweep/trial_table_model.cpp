#include "sweep/trial_table_model.h"

#include <QBrush>
#include <QFont>
#include <QIcon>

#include "shared/run_status.h"

namespace foldbench::ui {

namespace {
RunStatus asRunStatus(tracker::TrialStatus status) {
  switch (status) {
    case tracker::TrialStatus::Pending: return RunStatus::Queued;
    case tracker::TrialStatus::Running: return RunStatus::Running;
    case tracker::TrialStatus::Finished: return RunStatus::Finished;
    case tracker::TrialStatus::Pruned: return RunStatus::Pruned;
    case tracker::TrialStatus::Failed: return RunStatus::Failed;
  }
  return RunStatus::Failed;
}
}  // namespace

QColor trialStatusColor(tracker::TrialStatus status) { return statusColor(asRunStatus(status)); }
QIcon trialStatusIcon(tracker::TrialStatus status) { return statusIcon(asRunStatus(status)); }

TrialTableModel::TrialTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void TrialTableModel::setSnapshot(const SweepSnapshot& snapshot) {
  std::vector<std::string> keys;
  for (const auto& d : snapshot.spec.space) keys.push_back(d.key);
  if (!snapshot.hasSweep || snapshot.sweep.id != sweepId_ || keys != keys_ || snapshot.folds != folds_) {
    beginResetModel();
    sweepId_ = snapshot.hasSweep ? snapshot.sweep.id : 0;
    keys_ = snapshot.hasSweep ? keys : std::vector<std::string>{};
    folds_ = snapshot.folds;
    trials_ = snapshot.hasSweep ? snapshot.trials : std::vector<tracker::TrialRecord>{};
    endResetModel();
    return;
  }
  // Trials are only ever added, by number: update the rows there are, then append.
  const std::size_t kept = std::min(trials_.size(), snapshot.trials.size());
  for (std::size_t i = 0; i < kept; ++i) trials_[i] = snapshot.trials[i];
  if (kept > 0) emit dataChanged(index(0, 0), index(static_cast<int>(kept) - 1, columnCount() - 1));
  if (snapshot.trials.size() > trials_.size()) {
    beginInsertRows({}, static_cast<int>(trials_.size()), static_cast<int>(snapshot.trials.size()) - 1);
    trials_.insert(trials_.end(), snapshot.trials.begin() + static_cast<std::ptrdiff_t>(trials_.size()),
                   snapshot.trials.end());
    endInsertRows();
  } else if (snapshot.trials.size() < trials_.size()) {
    beginRemoveRows({}, static_cast<int>(snapshot.trials.size()), static_cast<int>(trials_.size()) - 1);
    trials_.resize(snapshot.trials.size());
    endRemoveRows();
  }
}

int TrialTableModel::rowOfTrial(int number) const {
  for (std::size_t i = 0; i < trials_.size(); ++i)
    if (trials_[i].trial == number) return static_cast<int>(i);
  return -1;
}

int TrialTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(trials_.size());
}

int TrialTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(keys_.size()) + 5;
}

QString TrialTableModel::shortKey(std::size_t dimension) const {
  // "lr" for "train.lr", unless another swept field has that name too.
  const QString key = QString::fromStdString(keys_[dimension]);
  const QString name = key.section('.', -1);
  for (std::size_t i = 0; i < keys_.size(); ++i)
    if (i != dimension && QString::fromStdString(keys_[i]).section('.', -1) == name) return key;
  return name;
}

QString TrialTableModel::paramValue(const tracker::TrialRecord& t, std::size_t dimension) const {
  for (const auto& [key, value] : t.params)
    if (key == keys_[dimension]) return QString::fromStdString(value);
  return {};
}

QVariant TrialTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return {};
  if (role == Qt::DisplayRole) {
    if (section == 0) return tr("Trial");
    if (section == statusColumn()) return tr("Status");
    if (section >= paramColumn(0) && section < foldsColumn()) return shortKey(static_cast<std::size_t>(section - paramColumn(0)));
    if (section == foldsColumn()) return tr("Folds");
    if (section == meanColumn()) return tr("Val acc");
    if (section == reasonColumn()) return tr("Reason");
  }
  if (role == Qt::ToolTipRole) {
    if (section >= paramColumn(0) && section < foldsColumn())
      return QString::fromStdString(keys_[static_cast<std::size_t>(section - paramColumn(0))]);
    if (section == foldsColumn()) return tr("Folds trained of k, in the trial's own order");
    if (section == meanColumn())
      return tr("Mean ± std of the folds' best validation accuracies; partial (italic) while training or when pruned");
  }
  return {};
}

QVariant TrialTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const auto& t = trials_[static_cast<std::size_t>(index.row())];
  const int c = index.column();
  const bool partial = folds_ > 0 && static_cast<int>(t.scores.size()) < folds_;
  if (role == TrialRole) return t.trial;
  if (role == StatusRole) return static_cast<int>(t.status);
  if (role == Qt::DisplayRole || role == SortRole) {
    const bool sort = role == SortRole;
    if (c == 0) return t.trial;
    if (c == statusColumn()) return sort ? QVariant(static_cast<int>(t.status)) : QVariant(trialStatusText(t.status));
    if (c >= paramColumn(0) && c < foldsColumn()) {
      const QString value = paramValue(t, static_cast<std::size_t>(c - paramColumn(0)));
      if (sort) {
        bool ok = false;
        const double number = value.toDouble(&ok);
        return ok ? QVariant(number) : QVariant(value);
      }
      return value;
    }
    if (c == foldsColumn()) {
      const int done = static_cast<int>(t.scores.size());
      if (sort) return done;
      return folds_ > 0 ? QStringLiteral("%1/%2").arg(done).arg(folds_) : QString::number(done);
    }
    if (c == meanColumn()) {
      if (t.scores.empty()) return sort ? QVariant(-1.0) : QVariant(QString());
      if (sort) return t.mean;
      if (t.scores.size() == 1) return QString::number(t.mean, 'f', 4);  // one fold: no spread yet
      return QStringLiteral("%1 ± %2").arg(t.mean, 0, 'f', 4).arg(t.stddev, 0, 'f', 4);
    }
    if (c == reasonColumn()) return QString::fromStdString(t.reason);
  }
  if (role == Qt::DecorationRole && c == statusColumn()) return trialStatusIcon(t.status);
  if (role == Qt::FontRole && c == meanColumn() && partial) {
    QFont f;
    f.setItalic(true);
    return f;
  }
  if (role == Qt::ForegroundRole && c == meanColumn() && partial && t.status != tracker::TrialStatus::Running)
    return QBrush(QColor(0x70, 0x70, 0x70));
  if (role == Qt::ToolTipRole) {
    if (c == reasonColumn() && !t.reason.empty()) return QString::fromStdString(t.reason);
    if (c == foldsColumn() && !t.scores.empty()) {
      QStringList folds;
      for (const auto& s : t.scores) folds << tr("fold %1: %2").arg(s.fold).arg(s.accuracy, 0, 'f', 4);
      return folds.join('\n');
    }
  }
  if (role == Qt::TextAlignmentRole && (c == 0 || c == foldsColumn() || c == meanColumn()))
    return QVariant(Qt::AlignRight | Qt::AlignVCenter);
  return {};
}

void TrialFilterProxy::setAllowedTrials(std::optional<QSet<int>> trials) {
  allowed_ = std::move(trials);
  invalidateFilter();
}

bool TrialFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
  if (!allowed_) return true;
  const auto number = sourceModel()->index(sourceRow, 0, sourceParent).data(TrialTableModel::TrialRole).toInt();
  return allowed_->contains(number);
}

}  // namespace foldbench::ui
