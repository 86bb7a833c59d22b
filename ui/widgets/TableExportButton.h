#pragma once

#include <QToolButton>

class QTableView;

namespace idgen::ui {

// "Export CSV…": writes exactly what the table shows (models/TableCsv.h) to a file the user
// picks; a failure is reported through exportFailed so the view's error banner shows it.
class TableExportButton : public QToolButton {
    Q_OBJECT
public:
    TableExportButton(QTableView *table, const QString &defaultName, QWidget *parent = nullptr);

Q_SIGNALS:
    void exportFailed(const QString &summary, const QString &message);

private:
    void exportTable();

    QTableView *m_table;
    QString m_defaultName;
};

} // namespace idgen::ui
