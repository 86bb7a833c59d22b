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
    for (int row = 0; row < model->rowCount(); ++row) {
        line.clear();
        for (const int column : columns)
            line << field(model->index(row, column).data().toString());
        out += line.join(',') + '\n';
    }
    return out;
}

QString saveTableCsv(const QTableView &view, const QString &file)
{
    QSaveFile out(file);
    if (out.open(QIODevice::WriteOnly | QIODevice::Text) && out.write(tableCsv(view).toUtf8()) >= 0 && out.commit())
        return {};
    return QObject::tr("could not write %1: %2").arg(QDir::toNativeSeparators(file), out.errorString());
}

} // namespace idgen::ui
