#include "widgets/TableExportButton.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QPointer>
#include <QSettings>
#include <QTableView>

namespace idgen::ui {

TableExportButton::TableExportButton(QTableView *table, const QString &defaultName, QWidget *parent)
    : QToolButton(parent)
    , m_table(table)
    , m_defaultName(defaultName)
{
    setObjectName("exportCsv");
    setText(tr("Export CSV…"));
    setToolTip(tr("Save the table as shown (filtered and sorted) to a CSV file"));
    setAutoRaise(true);
    connect(this, &QToolButton::clicked, this, &TableExportButton::chooseFileAndExport);
}

void TableExportButton::chooseFileAndExport()
{
    QSettings settings;
    const QString folder = settings.value("plot/exportFolder", QDir::homePath()).toString();
    const QString file =
        QFileDialog::getSaveFileName(this, tr("Export Table"), QDir(folder).filePath(m_defaultName), tr("CSV files (*.csv)"));
    if (file.isEmpty())
        return;
    settings.setValue("plot/exportFolder", QFileInfo(file).absolutePath());
    exportTo(file);
}

void TableExportButton::exportTo(const QString &file)
{
    if (!m_reader) {
        write(tableCsv(*m_table), file);
        return;
    }
    setEnabled(false); // one read at a time
    QPointer<TableExportButton> self(this);
    m_reader(
        [self, file](int rows, CellText cell) {
            if (!self)
                return;
            self->setEnabled(true);
            self->write(tableCsv(*self->m_table, rows, cell), file);
        },
        [self](const QString &message) {
            if (!self)
                return;
            self->setEnabled(true);
            Q_EMIT self->exportFailed(tr("Could not read the table's rows"), message);
        });
}

void TableExportButton::write(const QString &csv, const QString &file)
{
    if (const QString error = saveCsv(csv, file); !error.isEmpty())
        Q_EMIT exportFailed(tr("Could not export the table"), error);
    else
        Q_EMIT exported(file);
}

} // namespace idgen::ui
