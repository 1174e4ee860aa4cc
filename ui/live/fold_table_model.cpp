#include "live/fold_table_model.h"

#include <QDir>
#include <QFileInfo>
#include <QFont>
#include <cmath>

namespace foldbench::ui {

FoldTableModel::FoldTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void FoldTableModel::clear() {
  beginResetModel();
  folds_.clear();
  endResetModel();
}

void FoldTableModel::foldStarted(int fold) {
  // A fold in progress changes no summary value: only its own row appears, above the summary.
  const int row = static_cast<int>(folds_.size());
  beginInsertRows({}, row, row);
  folds_.push_back({fold, false, {}});
  endInsertRows();
}

void FoldTableModel::foldEnded(const FoldEndEvent& fold) {
  auto it = std::find_if(folds_.begin(), folds_.end(), [&](const Row& r) { return r.fold == fold.fold; });
  if (it == folds_.end()) {
    foldStarted(fold.fold);
    it = folds_.end() - 1;
  }
  const int row = static_cast<int>(it - folds_.begin());
  const int base = static_cast<int>(folds_.size());
  const bool summaryBefore = hasSummary();
  const bool summaryAfter = summaryBefore || fold.bestEpoch > 0;
  // The two summary rows appear with the first fold that has a kept epoch.
  if (summaryAfter && !summaryBefore) beginInsertRows({}, base, base + 1);
  it->ended = true;
  it->result = fold;
  if (summaryAfter && !summaryBefore) endInsertRows();
  emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
  if (summaryBefore) emit dataChanged(index(base, 0), index(base + 1, ColumnCount - 1));
}

int FoldTableModel::finishedFolds() const {
  return static_cast<int>(std::count_if(folds_.begin(), folds_.end(), [](const Row& r) { return r.ended; }));
}

bool FoldTableModel::hasSummary() const {
  return std::any_of(folds_.begin(), folds_.end(), [](const Row& r) { return r.ended && r.result.bestEpoch > 0; });
}

std::vector<double> FoldTableModel::values(Column column) const {
  std::vector<double> out;
  for (const auto& r : folds_) {
    if (!r.ended || r.result.bestEpoch == 0) continue;
    switch (column) {
      case TrainAccColumn: out.push_back(r.result.bestTrainAccuracy); break;
      case ValAccColumn: if (r.result.hasValidation) out.push_back(r.result.best.accuracy); break;
      case ValF1Column: if (r.result.hasValidation) out.push_back(r.result.best.microF1); break;
      case BestEpochColumn: out.push_back(r.result.bestEpoch); break;
      default: break;
    }
  }
  return out;
}

double FoldTableModel::mean(Column column) const {
  const auto v = values(column);
  if (v.empty()) return 0.0;
  double sum = 0.0;
  for (double x : v) sum += x;
  return sum / static_cast<double>(v.size());
}

int FoldTableModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid()) return 0;
  return static_cast<int>(folds_.size()) + (hasSummary() ? 2 : 0);
}

int FoldTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant FoldTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  const int row = index.row();
  const auto column = static_cast<Column>(index.column());
  const bool numeric = column == TrainAccColumn || column == ValAccColumn || column == ValF1Column || column == BestEpochColumn;
  if (role == Qt::TextAlignmentRole)
    return QVariant::fromValue(numeric ? Qt::AlignRight | Qt::AlignVCenter : Qt::AlignLeft | Qt::AlignVCenter);
  if (row >= static_cast<int>(folds_.size())) {
    // Summary rows: mean, then population standard deviation.
    const bool isMean = row == static_cast<int>(folds_.size());
    if (role == Qt::FontRole) {
      QFont f;
      f.setBold(true);
      return f;
    }
    if (role != Qt::DisplayRole) return {};
    if (column == FoldColumn) return isMean ? tr("mean") : tr("std");
    if (column != TrainAccColumn && column != ValAccColumn && column != ValF1Column) return {};
    const auto v = values(column);
    if (v.empty()) return QStringLiteral("–");
    const double m = mean(column);
    if (isMean) return QString::number(m, 'f', 4);
    double var = 0.0;
    for (double x : v) var += (x - m) * (x - m);
    return QString::number(std::sqrt(var / static_cast<double>(v.size())), 'f', 4);
  }
  const Row& r = folds_[static_cast<std::size_t>(row)];
  if (role == Qt::ToolTipRole && column == CheckpointColumn) return QString::fromStdString(r.result.checkpointPath);
  if (role == Qt::ToolTipRole && column == StatusColumn && !r.result.error.empty()) return QString::fromStdString(r.result.error);
  if (role != Qt::DisplayRole) return {};
  const bool kept = r.ended && r.result.bestEpoch > 0;
  switch (column) {
    case FoldColumn: return r.fold;
    case StatusColumn: return r.ended ? QString::fromLatin1(train::toString(r.result.status)) : tr("training…");
    case BestEpochColumn: return kept ? QVariant(r.result.bestEpoch) : QVariant(QStringLiteral("–"));
    case TrainAccColumn: return kept ? QString::number(r.result.bestTrainAccuracy, 'f', 4) : QStringLiteral("–");
    case ValAccColumn: return kept && r.result.hasValidation ? QString::number(r.result.best.accuracy, 'f', 4) : QStringLiteral("–");
    case ValF1Column: return kept && r.result.hasValidation ? QString::number(r.result.best.microF1, 'f', 4) : QStringLiteral("–");
    case CheckpointColumn: {
      if (!r.ended) return QString();
      const QFileInfo checkpoint(QString::fromStdString(r.result.checkpointPath));
      return checkpoint.dir().dirName() + "/" + checkpoint.fileName();  // fold-K/best.pt
    }
    default: return {};
  }
}

QVariant FoldTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case FoldColumn: return tr("fold");
    case StatusColumn: return tr("status");
    case BestEpochColumn: return tr("best epoch");
    case TrainAccColumn: return tr("train acc");
    case ValAccColumn: return tr("val acc");
    case ValF1Column: return tr("val micro-F1");
    case CheckpointColumn: return tr("checkpoint");
    default: return {};
  }
}

}  // namespace foldbench::ui
