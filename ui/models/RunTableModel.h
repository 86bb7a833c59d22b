#pragma once

#include "train/RunOverview.h"

#include <QAbstractTableModel>

#include <functional>
#include <vector>

namespace idgen::ui {

// The runs table: every run, baseline and stand-alone evaluation of a dataset, one row each
// (core's runOverviews), with config columns and best/last validation and test metrics.
// SortRole holds numbers as numbers, so a QSortFilterProxyModel sorts 0.09 before 0.1.
class RunTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    static constexpr int SortRole = Qt::UserRole;
    static constexpr int RunIdRole = Qt::UserRole + 1; // 0 for an evaluation row

    explicit RunTableModel(QObject *parent = nullptr);

    void setRows(std::vector<RunOverview> rows);
    const std::vector<RunOverview> &rows() const { return m_rows; }
    int rowOfRun(std::int64_t run) const; // -1 when absent

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Column {
        QString title;
        QString tip;
        std::function<QVariant(const RunOverview &)> value; // number or text
        int decimals = -1;                                   // numbers shown with this many decimals
    };
    std::vector<Column> m_columns;
    std::vector<RunOverview> m_rows;
};

} // namespace idgen::ui
