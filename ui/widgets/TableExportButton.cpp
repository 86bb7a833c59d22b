#include "widgets/TableExportButton.h"

#include "models/TableCsv.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QSettings>
#include <QTableView>

namespace idgen::ui {

TableExportButton::TableExportButton(QTableView *table, const QString &defaultName, QWidget *parent)
    : QToolButton(parent)
    , m_table(table)
    , m_defaultName(defaultName)
{
    setText(tr("Export CSV…"));
    setToolTip(tr("Save the table as shown (filtered and sorted) to a CSV file"));
    setAutoRaise(true);
    connect(this, &QToolButton::clicked, this, &TableExportButton::exportTable);
}

void TableExportButton::exportTable()
{
    QSettings settings;
    const QString folder = settings.value("plot/exportFolder", QDir::homePath()).toString();
    const QString file =
        QFileDialog::getSaveFileName(this, tr("Export Table"), QDir(folder).filePath(m_defaultName), tr("CSV files (*.csv)"));
    if (file.isEmpty())
        return;
    settings.setValue("plot/exportFolder", QFileInfo(file).absolutePath());
    if (const QString error = saveTableCsv(*m_table, file); !error.isEmpty())
        Q_EMIT exportFailed(tr("Could not export the table"), error);
}

} // namespace idgen::ui
