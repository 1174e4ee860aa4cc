#pragma once
#include <QAbstractTableModel>

#include "foldbench/data/diagnostics.h"

namespace foldbench::ui {

// Problems, skipped rows and repairs of a load, one per row, problems first.
class DiagnosticsModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { KindColumn, LineColumn, FieldColumn, MessageColumn, ColumnCount };
  using QAbstractTableModel::QAbstractTableModel;

  void setReport(const data::LoadReport& report);
  int problemRows() const { return problemRows_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

 private:
  struct Row {
    QString kind;
    int line;
    QString field;
    QString message;
    bool problem;
  };
  std::vector<Row> rows_;
  int problemRows_ = 0;
};

}  // namespace foldbench::ui
