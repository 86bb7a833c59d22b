#pragma once

#include <QAbstractTableModel>
#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

namespace idgen {
class Database;
}

namespace idgen::ui {

// The item IDs of every round of a run (its snapshots linked with their round in run_snapshots).
struct RunRounds {
    std::int64_t run = 0;
    std::vector<int> rounds;
    std::vector<std::int64_t> snapshots;
    std::vector<QString> rawIds;
    std::vector<QString> titles;
    std::vector<std::vector<QString>> ids; // [round][item]
};

// Reads the run's round snapshots (run it off the GUI thread); a run without rounds gives none.
std::shared_ptr<const RunRounds> loadRunRounds(const Database &db, std::int64_t run);

// One row per item: its raw id, then its ID in every round, the words that changed since the
// round before marked (kHtmlRole); rows whose ID changed at least once say how often.
class RunRoundsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    explicit RunRoundsModel(QObject *parent = nullptr);

    void setRounds(std::shared_ptr<const RunRounds> rounds);
    const RunRounds *rounds() const { return m_rounds.get(); }
    // Items whose ID changed between two consecutive rounds at least once.
    int changedItems() const { return m_changedItems; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    static constexpr int kFixedColumns = 3; // item, changes, title
    std::shared_ptr<const RunRounds> m_rounds;
    std::vector<int> m_changes; // per item: rounds whose ID differs from the round before
    int m_changedItems = 0;
};

} // namespace idgen::ui
