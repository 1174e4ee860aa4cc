#pragma once
#include <QAbstractTableModel>

#include "foldbench/data/dataset_stats.h"

namespace foldbench::ui {

// Label id, name, row count and share of a dataset, one label per row.
class LabelHistogramModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { IdColumn, LabelColumn, RowsColumn, ShareColumn, ColumnCount };
  using QAbstractTableModel::QAbstractTableModel;

  void setSummary(const data::DatasetSummary& summary);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

 private:
  std::vector<data::LabelCount> labels_;
  std::size_t total_ = 0;
};

}  // namespace foldbench::ui
