#pragma once

#include "recommend/UserDecoding.h"

#include <QAbstractTableModel>
#include <QString>

#include <vector>

namespace idgen::ui {

// The items a decoding ranked: rank, ID, title, score (length-normalised log-probability), raw
// id. The test item's row is bold on the highlight colour; a text an unconstrained search wrote
// that is no item's ID says so.
class RankedItemsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Rank, Id, Title, Score, RawId, ColumnCount };

    explicit RankedItemsModel(QObject *parent = nullptr);

    void setItems(std::vector<RankedItem> items, const QString &targetRawId);
    const std::vector<RankedItem> &items() const { return m_items; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<RankedItem> m_items;
    QString m_target;
};

} // namespace idgen::ui
