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

void fitColumns(QTableView* view, int maxWidth, bool shrinkToView) {
  view->resizeColumnsToContents();
  auto* header = view->horizontalHeader();
  // A stretched last column fills whatever is left: count it at its content width, never shrink it.
  const int fixedColumns = header->stretchLastSection() ? header->count() - 1 : header->count();
  int total = fixedColumns < header->count()
                  ? std::max(120, header->sectionSizeHint(fixedColumns))
                  : 0;
  int shrinkable = 0;
  for (int c = 0; c < fixedColumns; ++c) {
    header->resizeSection(c, std::min(header->sectionSize(c) + 8, maxWidth));
    total += header->sectionSize(c);
    if (header->sectionSize(c) > 100) shrinkable += header->sectionSize(c) - 100;
  }
  // Wider than the view: take the excess from the wide columns, in proportion, so that every
  // column stays in sight (their full text is one hover or drag away).
  if (!shrinkToView) return;
  const int excess = total - view->viewport()->width();
  if (!view->isVisible() || excess <= 0 || shrinkable <= 0) return;  // a hidden view has no width yet
  const double keep = std::max(0.0, 1.0 - static_cast<double>(excess) / shrinkable);
  for (int c = 0; c < fixedColumns; ++c)
    if (header->sectionSize(c) > 100)
      header->resizeSection(c, 100 + static_cast<int>((header->sectionSize(c) - 100) * keep));
}

}  // namespace foldbench::ui
