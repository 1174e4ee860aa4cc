#pragma once
// Read-only tables of the browsing tabs: one look (alternating rows, whole-row selection, no
// row numbers) and columns sized to their contents within a cap.
#include <QTableView>

namespace foldbench::ui {

// With `sortable`, a proxy sorts on Qt::UserRole (numbers as numbers).
QTableView* makeDataTable(QAbstractItemModel* model, bool sortable = false);
// Columns at their content's width up to `maxWidth`. With `shrinkToView`, a table wider than its
// view takes the excess from its wide columns, so every column stays in sight; without, the
// table scrolls sideways and no cell is cut.
void fitColumns(QTableView* view, int maxWidth = 360, bool shrinkToView = true);

}  // namespace foldbench::ui
