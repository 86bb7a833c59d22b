#include "models/TableCsv.h"

#include <QAbstractItemModel>
#include <QDir>
#include <QHeaderView>
#include <QSaveFile>
#include <QTableView>

namespace idgen::ui {
namespace {

QString field(const QString &text)
{
    if (!text.contains(',') && !text.contains('"') && !text.contains('\n'))
        return text;
    return '"' + QString(text).replace('"', QStringLiteral("\"\"")) + '"';
}

} // namespace

QString tableCsv(const QTableView &view)
{
    const QAbstractItemModel *model = view.model();
    if (!model)
        return {};
    return tableCsv(view, model->rowCount(), [model](int row, int column) { return model->index(row, column).data().toString(); });
}

QString tableCsv(const QTableView &view, int rows, const CellText &cell)
{
    const QAbstractItemModel *model = view.model();
    if (!model)
        return {};
    const QHeaderView *header = view.horizontalHeader();
    QList<int> columns; // in the order the user sees them (sections can be dragged)
    for (int visual = 0; visual < header->count(); ++visual) {
        const int logical = header->logicalIndex(visual);
        if (!view.isColumnHidden(logical))
            columns << logical;
    }
    QStringList line;
    for (const int column : columns)
        line << field(model->headerData(column, Qt::Horizontal).toString());
    QString out = line.join(',') + '\n';
    for (int row = 0; row < rows; ++row) {
        line.clear();
        for (const int column : columns)
            line << field(cell(row, column));
        out += line.join(',') + '\n';
    }
    return out;
}

QString saveCsv(const QString &csv, const QString &file)
{
    QSaveFile out(file);
    if (out.open(QIODevice::WriteOnly | QIODevice::Text) && out.write(csv.toUtf8()) >= 0 && out.commit())
        return {};
    return QObject::tr("could not write %1: %2").arg(QDir::toNativeSeparators(file), out.errorString());
}

QString saveTableCsv(const QTableView &view, const QString &file)
{
    return saveCsv(tableCsv(view), file);
}

} // namespace idgen::ui
