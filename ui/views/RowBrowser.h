#pragma once

#include "views/DatasetPage.h"

class QModelIndex;
class QTableView;
class QTimer;
class QTextBrowser;

namespace idgen::ui {

class DatasetTableModel;
class SearchBar;
class TableExportButton;

// A searchable, sortable table of one dataset's rows with a detail pane for the current row;
// the base of the Items and Users tabs. Sorting is driven from header clicks only on the
// columns the repository can order by, so the sort indicator never shows an order not applied.
class RowBrowser : public DatasetPage {
    Q_OBJECT
public:
    // searchHint is the search field's placeholder (what the text filter matches); exportName is the CSV export's default file name.
    RowBrowser(DatasetTableModel *model, const QString &countName, const QString &searchHint, const QString &exportName,
               QWidget *parent = nullptr);

    void showDataset(const std::shared_ptr<const Database> &db, const std::optional<DatasetInfo> &info) override;

    SearchBar *searchBar() const { return m_search; }
    QTableView *table() const { return m_table; }
    DatasetTableModel *model() const { return m_model; }
    QTextBrowser *detail() const { return m_detail; }
    // Export CSV…: every row the search matches, in the table's order (read whole first).
    TableExportButton *exportButton() const { return m_export; }

Q_SIGNALS:
    void errorOccurred(const QString &summary, const QString &message);

protected:
    // Initial column widths in average characters (content-based sizing would read every row).
    void setColumnWidths(const QList<int> &characters);
    // HTML for the detail pane of the row at `index` (column 0); called on the GUI thread.
    virtual QString detailHtml(const QModelIndex &index) const = 0;
    const std::shared_ptr<const Database> &database() const { return m_db; }
    std::int64_t datasetId() const;

private:
    void onHeaderClicked(int section);
    void updateDetail();

    DatasetTableModel *m_model;
    SearchBar *m_search;
    QTableView *m_table;
    QTextBrowser *m_detail;
    TableExportButton *m_export;
    QTimer *m_busyDelay;
    std::shared_ptr<const Database> m_db;
    int m_sortColumn = 0;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
};

} // namespace idgen::ui
