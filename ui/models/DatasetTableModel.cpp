#include "models/DatasetTableModel.h"

#include "store/Database.h"

#include <algorithm>
#include <limits>

namespace idgen::ui {

DatasetTableModel::DatasetTableModel(std::shared_ptr<const RowSource> source, QStringList headers, QObject *parent)
    : QAbstractTableModel(parent)
    , m_source(std::move(source))
    , m_headers(std::move(headers))
{
}

void DatasetTableModel::setDataset(const std::shared_ptr<const Database> &db, std::int64_t datasetId)
{
    m_project = db ? db->path() : std::filesystem::path();
    m_datasetId = db ? datasetId : -1;
    reload();
}

void DatasetTableModel::setFilter(const RowFilter &filter)
{
    m_filter = filter;
    reload();
}

int DatasetTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows);
}

int DatasetTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_headers.size());
}

void DatasetTableModel::sort(int column, Qt::SortOrder order)
{
    const bool descending = order == Qt::DescendingOrder;
    switch (sortKeyOf(column)) {
    case SortKey::None: return;
    case SortKey::Index:
        m_order = RowFilter::Order::Index;
        m_reversed = descending;
        break;
    case SortKey::RawId:
        m_order = RowFilter::Order::RawId;
        m_reversed = descending;
        break;
    case SortKey::Count:
        // Ties stay in index order either way, which reading backwards would not give.
        m_order = descending ? RowFilter::Order::CountDescending : RowFilter::Order::CountAscending;
        m_reversed = false;
        break;
    }
    reload();
}

RowFilter DatasetTableModel::queryFilter() const
{
    RowFilter filter = m_filter;
    filter.order = m_order;
    return filter;
}

void DatasetTableModel::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged(busy);
}

void DatasetTableModel::reload()
{
    m_reader.invalidate();
    m_requested.clear();
    m_error.clear();
    if (m_project.empty() || m_datasetId < 0) {
        beginResetModel();
        m_pages.clear();
        m_rows = m_unfiltered = 0;
        endResetModel();
        setBusy(false);
        Q_EMIT rowsCounted(0, 0);
        return;
    }
    // The old rows stay on screen (marked busy) until the new count arrives: no flicker per key.
    setBusy(true);
    const auto source = m_source;
    const std::int64_t datasetId = m_datasetId;
    const RowFilter filter = queryFilter();
    const bool reversed = m_reversed;
    const int pageSize = m_pages.pageSize();
    m_reader.run<Counted>(
        m_project,
        [source, datasetId, filter, reversed, pageSize](const Database &db) {
            const DatasetRepository repository(db);
            Counted counted;
            counted.total = source->count(repository, datasetId, RowFilter{});
            counted.matching = std::min<std::int64_t>(source->count(repository, datasetId, filter),
                                                      std::numeric_limits<int>::max());
            // The page the view shows first: the top of the table, which reads from the end when reversed.
            counted.page = reversed && counted.matching > 0 ? (counted.matching - 1) / pageSize : 0;
            counted.rows = source->rows(repository, datasetId, filter, counted.page * pageSize, pageSize);
            return counted;
        },
        [this](Counted counted) {
            beginResetModel();
            m_pages.clear();
            m_rows = counted.matching;
            m_unfiltered = counted.total;
            m_pages.insert(counted.page, std::move(counted.rows));
            endResetModel();
            setBusy(false);
            Q_EMIT rowsCounted(m_rows, m_unfiltered);
        },
        [this](const QString &message) {
            beginResetModel();
            m_pages.clear();
            m_rows = 0;
            endResetModel();
            setBusy(false);
            failed(message);
            Q_EMIT rowsCounted(0, m_unfiltered);
        });
}

void DatasetTableModel::requestPage(std::int64_t page) const
{
    // Pages asked for while a new filter is being counted would be placed by the old count.
    if (m_busy || m_requested.contains(page))
        return;
    m_requested.insert(page);
    auto *self = const_cast<DatasetTableModel *>(this);
    const auto source = m_source;
    const std::int64_t datasetId = m_datasetId;
    const RowFilter filter = queryFilter();
    const int pageSize = m_pages.pageSize();
    m_reader.run<std::vector<TableRow>>(
        m_project,
        [source, datasetId, filter, page, pageSize](const Database &db) {
            return source->rows(DatasetRepository(db), datasetId, filter, page * pageSize, pageSize);
        },
        [self, page](std::vector<TableRow> rows) { self->pageArrived(page, std::move(rows)); },
        [self, page](const QString &message) {
            self->m_requested.remove(page);
            self->failed(message);
        });
}

void DatasetTableModel::readAllRows(std::function<void(std::vector<TableRow>)> done,
                                     std::function<void(const QString &)> failed) const
{
    if (m_project.empty() || m_datasetId < 0) {
        done({});
        return;
    }
    const auto source = m_source;
    const std::int64_t datasetId = m_datasetId;
    const RowFilter filter = queryFilter();
    const bool reversed = m_reversed;
    m_exportReader.run<std::vector<TableRow>>(
        m_project,
        [source, datasetId, filter, reversed](const Database &db) {
            std::vector<TableRow> all =
                source->rows(DatasetRepository(db), datasetId, filter, 0, std::numeric_limits<int>::max());
            if (reversed)
                std::reverse(all.begin(), all.end());
            return all;
        },
        std::move(done), std::move(failed));
}

void DatasetTableModel::pageArrived(std::int64_t page, std::vector<TableRow> rows)
{
    m_requested.remove(page);
    if (rows.empty())
        return;
    const std::int64_t first = page * m_pages.pageSize();
    const std::int64_t last = first + static_cast<std::int64_t>(rows.size()) - 1;
    m_pages.insert(page, std::move(rows));
    const int top = static_cast<int>(std::max<std::int64_t>(0, std::min(queryRow(static_cast<int>(first)), queryRow(static_cast<int>(last)))));
    const int bottom = static_cast<int>(std::min<std::int64_t>(m_rows - 1, std::max(queryRow(static_cast<int>(first)), queryRow(static_cast<int>(last)))));
    if (top <= bottom)
        Q_EMIT dataChanged(index(top, 0), index(bottom, columnCount() - 1));
}

void DatasetTableModel::failed(const QString &message)
{
    m_error = message;
    Q_EMIT queryFailed(message);
}

QVariant DatasetTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows)
        return {};
    if (role == Qt::TextAlignmentRole)
        return isNumeric(index.column()) ? QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role < Qt::UserRole)
        return {};
    const std::int64_t row = queryRow(index.row());
    const TableRow *r = m_pages.find(row);
    if (!r) {
        requestPage(m_pages.pageOf(row));
        return role == Qt::DisplayRole && index.column() == 1 ? QVariant(QStringLiteral("…")) : QVariant();
    }
    switch (role) {
    case IndexRole: return r->index;
    case RawIdRole: return r->rawId;
    case FieldsJsonRole: return r->fieldsJson;
    case CountRole: return r->count;
    case Qt::ToolTipRole: return showsTooltip(index.column()) ? QVariant(r->tooltip) : QVariant();
    default: break;
    }
    return index.column() < r->cells.size() ? r->cells[index.column()] : QVariant();
}

QVariant DatasetTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section >= 0 && section < m_headers.size())
        return m_headers[section];
    return QAbstractTableModel::headerData(section, orientation, role);
}

} // namespace idgen::ui
