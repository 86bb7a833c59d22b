#pragma once

#include "models/BackgroundReader.h"
#include "models/PageCache.h"

#include "store/DatasetRepository.h"

#include <QAbstractTableModel>
#include <QSet>
#include <QVector>

#include <functional>
#include <memory>

namespace idgen::ui {

// One row as the table shows it: strings converted once per page, not once per paint.
struct TableRow {
    QVector<QVariant> cells; // one per column
    qint64 index = 0;
    QString rawId;
    QString fieldsJson;
    QString tooltip;
    qint64 count = 0; // interactions of an item, sequence length of a user
};

// Reads one kind of row (items, users). Runs on the background reader's thread, so it holds no
// state: everything it needs comes in as arguments.
class RowSource {
public:
    virtual ~RowSource() = default;
    virtual std::int64_t count(const DatasetRepository &repository, std::int64_t datasetId, const RowFilter &filter) const = 0;
    virtual std::vector<TableRow> rows(const DatasetRepository &repository, std::int64_t datasetId, const RowFilter &filter,
                                       std::int64_t offset, std::int64_t limit) const = 0;
};

// Base of the item and user tables: a filtered, sorted view over one dataset's rows in the
// project file. Counting and page reads run on a BackgroundReader, so even a regex scan over
// 20k long texts never freezes the window; only the count and the visible pages are read. While
// a new filter is being counted the old rows stay, marked busy; a page or count computed for an
// old filter is dropped. Descending index/raw-id orders are the ascending ones read backwards.
class DatasetTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role { IndexRole = Qt::UserRole + 1, RawIdRole, FieldsJsonRole, CountRole };
    enum class SortKey { Index, RawId, Count, None };

    DatasetTableModel(std::shared_ptr<const RowSource> source, QStringList headers, QObject *parent = nullptr);

    // A null database or a negative id shows nothing. Only the database's path is used: the
    // reads run on the reader's own connection.
    void setDataset(const std::shared_ptr<const Database> &db, std::int64_t datasetId);
    std::int64_t datasetId() const { return m_datasetId; }
    // Text, regex and count bounds; the order comes from sort().
    void setFilter(const RowFilter &filter);
    const RowFilter &filter() const { return m_filter; }
    // True from a change of dataset, filter or order until its rows are counted.
    bool isBusy() const { return m_busy; }
    // True while any read is outstanding (counting or pages).
    bool isLoading() const { return m_busy || m_reader.pending() > 0; }
    // The message of the last failed query, empty after a successful reload.
    QString lastError() const { return m_error; }
    // Rows of the dataset before filtering (for "1,234 of 20,000").
    std::int64_t unfilteredRows() const { return m_unfiltered; }
    std::size_t cachedPages() const { return m_pages.cachedPages(); }
    bool isSortable(int column) const { return sortKeyOf(column) != SortKey::None; }
    // Every row the table shows now (filter and order as they are), read on a reader of its own
    // so that typing meanwhile does not drop it; for the CSV export. done gets them in table
    // order; a failure goes to failed.
    void readAllRows(std::function<void(std::vector<TableRow>)> done, std::function<void(const QString &)> failed) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

Q_SIGNALS:
    void busyChanged(bool busy);
    // After every reload: how many rows match and how many the dataset has.
    void rowsCounted(qint64 matching, qint64 total);
    void queryFailed(const QString &message);

protected:
    virtual SortKey sortKeyOf(int column) const = 0;
    virtual bool isNumeric(int column) const = 0;
    virtual bool showsTooltip(int column) const { (void)column; return false; }

private:
    struct Counted {
        std::int64_t matching = 0;
        std::int64_t total = 0;
        std::int64_t page = 0;
        std::vector<TableRow> rows; // the first page shown, read with the count
    };
    void reload();
    void setBusy(bool busy);
    RowFilter queryFilter() const;
    std::int64_t queryRow(int row) const { return m_reversed ? m_rows - 1 - row : row; }
    void requestPage(std::int64_t page) const;
    void pageArrived(std::int64_t page, std::vector<TableRow> rows);
    void failed(const QString &message);

    std::shared_ptr<const RowSource> m_source;
    QStringList m_headers;
    std::filesystem::path m_project;
    std::int64_t m_datasetId = -1;
    RowFilter m_filter;
    RowFilter::Order m_order = RowFilter::Order::Index;
    bool m_reversed = false;
    std::int64_t m_rows = 0;
    std::int64_t m_unfiltered = 0;
    bool m_busy = false;
    QString m_error;
    // data() is const but fills the cache: the view asks for rows, the model fetches them.
    mutable PageCache<TableRow> m_pages;
    mutable QSet<std::int64_t> m_requested;
    mutable BackgroundReader m_reader;
    mutable BackgroundReader m_exportReader;
};

} // namespace idgen::ui
