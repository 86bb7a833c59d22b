#pragma once

#include <QString>

class QAbstractItemModel;
class QTableView;

namespace idgen::ui {

// A table as CSV, exactly as shown: the header texts and every row's display texts, in the
// view's column order and the model's (sorted, filtered) row order; hidden columns left out.
QString tableCsv(const QTableView &view);
// Writes it; returns an error message, empty on success.
QString saveTableCsv(const QTableView &view, const QString &file);

} // namespace idgen::ui
