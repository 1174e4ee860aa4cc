#include "label_histogram_model.h"

namespace foldbench::ui {

void LabelHistogramModel::setSummary(const data::DatasetSummary& summary) {
  beginResetModel();
  labels_ = summary.labels;
  total_ = summary.rows;
  endResetModel();
}

int LabelHistogramModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(labels_.size());
}

int LabelHistogramModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant LabelHistogramModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const auto& l = labels_[static_cast<std::size_t>(index.row())];
  const double share = total_ ? 100.0 * static_cast<double>(l.rows) / static_cast<double>(total_) : 0.0;
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
      case IdColumn: return l.id;
      case LabelColumn: return QString::fromStdString(l.label);
      case RowsColumn: return QVariant::fromValue<qulonglong>(l.rows);
      case ShareColumn: return QString::number(share, 'f', 1) + QStringLiteral(" %");
      default: return {};
    }
  }
  if (role == Qt::UserRole) return share;  // numeric share for sorting and plots
  if (role == Qt::TextAlignmentRole && index.column() != LabelColumn)
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  return {};
}

QVariant LabelHistogramModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case IdColumn: return tr("Id");
    case LabelColumn: return tr("Label");
    case RowsColumn: return tr("Rows");
    case ShareColumn: return tr("Share");
    default: return {};
  }
}

}  // namespace foldbench::ui
