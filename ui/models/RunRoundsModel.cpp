#include "models/RunRoundsModel.h"

#include "data/Dataset.h"
#include "ids/IdSnapshotRepository.h"
#include "ids/WordChanges.h"
#include "models/WordChangesHtml.h"
#include "recommend/UserDecoding.h"
#include "store/DatasetRepository.h"
#include "train/RunRepository.h"

#include <QApplication>

namespace idgen::ui {

std::shared_ptr<const RunRounds> loadRunRounds(const Database &db, std::int64_t run)
{
    const RunRecord record = RunRepository(db).load(run);
    auto rounds = std::make_shared<RunRounds>();
    rounds->run = run;
    const IdSnapshotRepository snapshots(db);
    for (const auto &[round, snapshot] : RunRepository(db).snapshots(run)) {
        const IdSnapshot loaded = snapshots.load(snapshot);
        rounds->rounds.push_back(round);
        rounds->snapshots.push_back(snapshot);
        std::vector<QString> ids;
        ids.reserve(loaded.items.size());
        for (const auto &text : loaded.items.texts)
            ids.push_back(QString::fromStdString(text));
        rounds->ids.push_back(std::move(ids));
    }
    const Dataset dataset = DatasetRepository(db).load(record.dataset);
    for (std::size_t i = 0; i < dataset.itemCount(); ++i) {
        rounds->rawIds.push_back(QString::fromStdString(dataset.itemRawIds[i]));
        rounds->titles.push_back(QString::fromStdString(itemTitle(dataset.itemFields[i])));
    }
    return rounds;
}

RunRoundsModel::RunRoundsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void RunRoundsModel::setRounds(std::shared_ptr<const RunRounds> rounds)
{
    beginResetModel();
    m_rounds = std::move(rounds);
    m_changes.assign(m_rounds ? m_rounds->rawIds.size() : 0, 0);
    m_changedItems = 0;
    if (m_rounds) {
        for (std::size_t r = 1; r < m_rounds->ids.size(); ++r)
            for (std::size_t i = 0; i < m_changes.size() && i < m_rounds->ids[r].size(); ++i)
                m_changes[i] += m_rounds->ids[r][i] != m_rounds->ids[r - 1][i] ? 1 : 0;
        for (const int c : m_changes)
            m_changedItems += c > 0 ? 1 : 0;
    }
    endResetModel();
}

int RunRoundsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_rounds ? 0 : static_cast<int>(m_rounds->rawIds.size());
}

int RunRoundsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_rounds ? 0 : kFixedColumns + static_cast<int>(m_rounds->rounds.size());
}

QVariant RunRoundsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const auto item = static_cast<std::size_t>(index.row());
    if (index.column() < kFixedColumns) {
        if (role != Qt::DisplayRole)
            return {};
        switch (index.column()) {
        case 0: return m_rounds->rawIds[item];
        case 1: return m_changes[item];
        default: return m_rounds->titles[item];
        }
    }
    const auto round = static_cast<std::size_t>(index.column() - kFixedColumns);
    const auto &ids = m_rounds->ids[round];
    if (item >= ids.size())
        return {};
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
        return ids[item];
    if (role == kHtmlRole && round > 0 && m_rounds->ids[round - 1][item] != ids[item])
        return wordChangesHtml(wordChanges(m_rounds->ids[round - 1][item].toStdString(), ids[item].toStdString()),
                               ChangeSide::New, QApplication::palette());
    return {};
}

QVariant RunRoundsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || !m_rounds)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case 0: return tr("Item");
    case 1: return tr("Changes");
    case 2: return tr("Title");
    default: {
        const auto r = static_cast<std::size_t>(section - kFixedColumns);
        return r < m_rounds->rounds.size() ? tr("Round %1 (snapshot %2)").arg(m_rounds->rounds[r]).arg(m_rounds->snapshots[r])
                                           : QVariant();
    }
    }
}

} // namespace idgen::ui
