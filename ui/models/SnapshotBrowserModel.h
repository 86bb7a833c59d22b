#pragma once

#include "models/SnapshotCatalog.h"

#include <QAbstractTableModel>

#include <memory>
#include <vector>

namespace idgen::ui {

// The items of one snapshot that match the search: raw id, ID, tokens, length, item text.
class SnapshotBrowserModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Item, Id, Tokens, Length, Text, ColumnCount };

    explicit SnapshotBrowserModel(QObject *parent = nullptr);

    void setCatalog(std::shared_ptr<const SnapshotCatalog> catalog);
    const SnapshotCatalog *catalog() const { return m_catalog.get(); }
    // Filters the rows; returns the milliseconds the search took.
    double setFilter(const QString &query, SnapshotCatalog::Scope scope);
    // The item index shown in a row.
    int itemAt(int row) const { return m_rows[static_cast<std::size_t>(row)]; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::shared_ptr<const SnapshotCatalog> m_catalog;
    std::vector<int> m_rows;
    QString m_query;
    SnapshotCatalog::Scope m_scope = SnapshotCatalog::Scope::Any;
};

} // namespace idgen::ui
