#include "models/RankedItemsModel.h"

#include "Style.h"

#include <QApplication>
#include <QFont>
#include <QPalette>

namespace idgen::ui {

RankedItemsModel::RankedItemsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void RankedItemsModel::setItems(std::vector<RankedItem> items, const QString &targetRawId)
{
    beginResetModel();
    m_items = std::move(items);
    m_target = targetRawId;
    endResetModel();
}

int RankedItemsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_items.size());
}

int RankedItemsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RankedItemsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const RankedItem &item = m_items[static_cast<std::size_t>(index.row())];
    const bool isTarget = !m_target.isEmpty() && item.item >= 0 && QString::fromStdString(item.rawId) == m_target;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Rank: return item.rank;
        case Id: return QString::fromStdString(item.idText);
        case Title: return item.item < 0 ? tr("(no item has this ID)") : QString::fromStdString(item.title);
        case Score: return QString::number(item.score, 'f', 4);
        case RawId: return QString::fromStdString(item.rawId);
        default: return {};
        }
    case Qt::TextAlignmentRole:
        return index.column() == Rank || index.column() == Score ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case Qt::FontRole:
        if (isTarget) {
            QFont bold = QApplication::font();
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::BackgroundRole:
        return isTarget ? QVariant(style::highlightTint(QApplication::palette())) : QVariant();
    case Qt::ForegroundRole:
        return isTarget ? QVariant(QApplication::palette().color(QPalette::Text)) : QVariant();
    case Qt::ToolTipRole:
        return isTarget ? tr("the user's test item: the true next item") : QVariant();
    default: return {};
    }
}

QVariant RankedItemsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Rank: return tr("Rank");
    case Id: return tr("ID");
    case Title: return tr("Title");
    case Score: return tr("Score");
    case RawId: return tr("Item");
    default: return {};
    }
}

} // namespace idgen::ui
