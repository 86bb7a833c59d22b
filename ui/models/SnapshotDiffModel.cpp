#include "models/SnapshotDiffModel.h"

#include "ids/IdSnapshotRepository.h"
#include "ids/WordChanges.h"
#include "models/WordChangesHtml.h"
#include "store/DatasetRepository.h"

#include <QApplication>

#include <limits>

namespace idgen::ui {

std::shared_ptr<const SnapshotComparison> compareSnapshots(const Database &db, std::int64_t from, std::int64_t to)
{
    const IdSnapshotRepository snapshots(db);
    const IdSnapshot a = snapshots.load(from);
    const IdSnapshot b = snapshots.load(to);
    const Dataset dataset = DatasetRepository(db).load(a.dataset);
    auto comparison = std::make_shared<SnapshotComparison>();
    comparison->from = snapshots.get(from);
    comparison->to = snapshots.get(to);
    comparison->diff = diffSnapshots(dataset, a, b, std::numeric_limits<std::size_t>::max());
    comparison->fromShape = snapshotShape(a);
    comparison->toShape = snapshotShape(b);
    return comparison;
}

SnapshotDiffModel::SnapshotDiffModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void SnapshotDiffModel::setComparison(std::shared_ptr<const SnapshotComparison> comparison)
{
    beginResetModel();
    m_comparison = std::move(comparison);
    endResetModel();
}

int SnapshotDiffModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_comparison ? 0 : static_cast<int>(m_comparison->diff.examples.size());
}

int SnapshotDiffModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SnapshotDiffModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const IdDiff::Example &e = m_comparison->diff.examples[static_cast<std::size_t>(index.row())];
    if (role == kHtmlRole && (index.column() == OldId || index.column() == NewId))
        return wordChangesHtml(wordChanges(e.oldId, e.newId), index.column() == OldId ? ChangeSide::Old : ChangeSide::New,
                               QApplication::palette());
    if (role == Qt::TextAlignmentRole && index.column() == Edits)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case Item: return QString::fromStdString(e.rawId);
    case OldId: return QString::fromStdString(e.oldId);
    case NewId: return QString::fromStdString(e.newId);
    case Edits: return static_cast<qulonglong>(e.editWords);
    case Text: return QString::fromStdString(e.text);
    default: return {};
    }
}

QVariant SnapshotDiffModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Item: return tr("Item");
    case OldId: return m_comparison ? tr("ID in snapshot %1").arg(m_comparison->from.id) : tr("Old ID");
    case NewId: return m_comparison ? tr("ID in snapshot %1").arg(m_comparison->to.id) : tr("New ID");
    case Edits: return tr("Words changed");
    case Text: return tr("Item text");
    default: return {};
    }
}

} // namespace idgen::ui
