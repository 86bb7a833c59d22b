#pragma once

#include "models/TableCsv.h"

#include <QToolButton>

#include <functional>

class QTableView;

namespace idgen::ui {

// "Export CSV…" of every table: writes exactly what the table shows (models/TableCsv.h) to a
// file the user picks; a failure is reported through exportFailed so the view's error banner
// shows it.
class TableExportButton : public QToolButton {
    Q_OBJECT
public:
    // For a table whose model holds only the pages on screen: reads every row the table shows
    // (off the window's thread) and hands them to `ready`, or a message to `failed`.
    using RowReader = std::function<void(std::function<void(int rows, CellText cell)> ready,
                                         std::function<void(const QString &message)> failed)>;

    TableExportButton(QTableView *table, const QString &defaultName, QWidget *parent = nullptr);

    void setRowReader(RowReader reader) { m_reader = std::move(reader); }
    // What the button does once a file is chosen; exported or exportFailed tell the outcome
    // (at once, or when a RowReader has read the rows).
    void exportTo(const QString &file);

Q_SIGNALS:
    void exported(const QString &file);
    void exportFailed(const QString &summary, const QString &message);

private:
    void chooseFileAndExport();
    void write(const QString &csv, const QString &file);

    QTableView *m_table;
    QString m_defaultName;
    RowReader m_reader;
};

} // namespace idgen::ui
