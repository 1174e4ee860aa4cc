#include "diagnostics_model.h"

#include <QBrush>
#include <QColor>

namespace foldbench::ui {

void DiagnosticsModel::setReport(const data::LoadReport& report) {
  beginResetModel();
  rows_.clear();
  for (const auto& p : report.problems)
    rows_.push_back({tr("problem"), p.line, QString::fromStdString(p.field), QString::fromStdString(p.message), true});
  problemRows_ = static_cast<int>(rows_.size());
  for (const auto& r : report.repairs)
    rows_.push_back({tr("repair"), r.line, QString::fromStdString(r.field),
                     tr("offsets %1..%2 moved to %3..%4 (%5%6)")
                         .arg(r.oldStart)
                         .arg(r.oldEnd)
                         .arg(r.newStart)
                         .arg(r.newEnd)
                         .arg(r.shift() > 0 ? "+" : "")
                         .arg(r.shift()),
                     false});
  for (int line : report.overlappingLines)
    rows_.push_back({tr("overlap"), line, QString(), tr("subject and object spans overlap"), false});
  endResetModel();
}

int DiagnosticsModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int DiagnosticsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant DiagnosticsModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const Row& r = rows_[static_cast<std::size_t>(index.row())];
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
      case KindColumn: return r.kind;
      case LineColumn: return r.line > 0 ? QVariant(r.line) : QVariant(QString());
      case FieldColumn: return r.field;
      case MessageColumn: return r.message;
      default: return {};
    }
  }
  if (role == Qt::ForegroundRole && r.problem) return QBrush(QColor(0xb0, 0x20, 0x20));
  return {};
}

QVariant DiagnosticsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case KindColumn: return tr("Kind");
    case LineColumn: return tr("Line");
    case FieldColumn: return tr("Field");
    case MessageColumn: return tr("Detail");
    default: return {};
  }
}

}  // namespace foldbench::ui
