#pragma once

#include "ids/IdDiff.h"
#include "ids/IdSnapshot.h"
#include "ids/SnapshotShape.h"

#include <QAbstractTableModel>

#include <cstdint>
#include <memory>

namespace idgen {
class Database;
}

namespace idgen::ui {

// Two snapshots of one dataset side by side: every item whose ID changed, and each one's shape.
struct SnapshotComparison {
    IdSnapshotInfo from;
    IdSnapshotInfo to;
    IdDiff diff; // every changed item is an example
    SnapshotShape fromShape;
    SnapshotShape toShape;
};

// Reads both snapshots and their dataset (run it off the GUI thread); throws an Error when they
// belong to different datasets.
std::shared_ptr<const SnapshotComparison> compareSnapshots(const Database &db, std::int64_t from, std::int64_t to);

// The items whose ID changed: raw id, old ID, new ID (changed words marked, kHtmlRole), the
// word-level edit distance and the start of the item text.
class SnapshotDiffModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Item, OldId, NewId, Edits, Text, ColumnCount };

    explicit SnapshotDiffModel(QObject *parent = nullptr);

    void setComparison(std::shared_ptr<const SnapshotComparison> comparison);
    const SnapshotComparison *comparison() const { return m_comparison.get(); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::shared_ptr<const SnapshotComparison> m_comparison;
};

} // namespace idgen::ui
