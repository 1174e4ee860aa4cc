#include "widgets/data_table.h"

#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <algorithm>

namespace foldbench::ui {

QTableView* makeDataTable(QAbstractItemModel* model, bool sortable) {
  auto* view = new QTableView;
  if (sortable) {
    auto* proxy = new QSortFilterProxyModel(view);
    proxy->setSourceModel(model);
    proxy->setSortRole(Qt::UserRole);
    view->setModel(proxy);
    view->setSortingEnabled(true);
  } else {
    view->setModel(model);
  }
  view->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view->setSelectionBehavior(QAbstractItemView::SelectRows);
  view->setAlternatingRowColors(true);
  view->verticalHeader()->hide();
  view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 8);
  view->horizontalHeader()->setStretchLastSection(true);
  return view;
}

void fitColumns(QTableView* view, int maxWidth) {
  view->resizeColumnsToContents();
  auto* header = view->horizontalHeader();
  for (int c = 0; c < header->count(); ++c) header->resizeSection(c, std::min(header->sectionSize(c) + 12, maxWidth));
}

}  // namespace foldbench::ui
