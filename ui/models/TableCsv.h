#pragma once

#include <QString>

#include <functional>

class QAbstractItemModel;
class QTableView;

namespace idgen::ui {

// The one way a table becomes CSV (every table's "Export CSV…", models/TableCsv + the
// TableExportButton): the header texts and every row's display texts, in the view's column
// order and the model's (sorted, filtered) row order; hidden columns left out.
QString tableCsv(const QTableView &view);
// The same columns and headers, with the rows given: `rows` rows whose display text in a
// model column is cell(row, column). For tables whose model holds only the pages on screen
// (the dataset tables): their rows are read whole first, then written here.
using CellText = std::function<QString(int row, int column)>;
QString tableCsv(const QTableView &view, int rows, const CellText &cell);
// Writes CSV text; returns an error message, empty on success.
QString saveCsv(const QString &csv, const QString &file);
QString saveTableCsv(const QTableView &view, const QString &file);

} // namespace idgen::ui
