#pragma once
// Read-only tables of the browsing tabs: one look (alternating rows, whole-row selection, no
// row numbers) and columns sized to their contents within a cap.
#include <QTableView>

namespace foldbench::ui {

// With `sortable`, a proxy sorts on Qt::UserRole (numbers as numbers).
QTableView* makeDataTable(QAbstractItemModel* model, bool sortable = false);
void fitColumns(QTableView* view, int maxWidth = 360);

}  // namespace foldbench::ui
