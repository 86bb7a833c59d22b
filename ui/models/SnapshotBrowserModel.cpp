#include "models/SnapshotBrowserModel.h"

#include <QElapsedTimer>

namespace idgen::ui {

SnapshotBrowserModel::SnapshotBrowserModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void SnapshotBrowserModel::setCatalog(std::shared_ptr<const SnapshotCatalog> catalog)
{
    m_catalog = std::move(catalog);
    setFilter(m_query, m_scope);
}

double SnapshotBrowserModel::setFilter(const QString &query, SnapshotCatalog::Scope scope)
{
    QElapsedTimer clock;
    clock.start();
    m_query = query;
    m_scope = scope;
    beginResetModel();
    m_rows = m_catalog ? m_catalog->search(query, scope) : std::vector<int>();
    endResetModel();
    return static_cast<double>(clock.nsecsElapsed()) / 1e6;
}

int SnapshotBrowserModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int SnapshotBrowserModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SnapshotBrowserModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || !m_catalog)
        return {};
    const auto item = static_cast<std::size_t>(m_rows[static_cast<std::size_t>(index.row())]);
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case Item: return m_catalog->rawIds[item];
        case Id: return m_catalog->ids[item];
        case Tokens: return m_catalog->pieces[item];
        case Length: return m_catalog->lengths[item];
        case Text: return role == Qt::DisplayRole ? m_catalog->texts[item].left(200) : m_catalog->texts[item];
        default: return {};
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() == Length)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant SnapshotBrowserModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section < rowCount() ? QVariant(itemAt(section)) : QVariant();
    switch (section) {
    case Item: return tr("Item");
    case Id: return tr("ID");
    case Tokens: return tr("Tokens");
    case Length: return tr("Length");
    case Text: return tr("Item text");
    default: return {};
    }
}

} // namespace idgen::ui
