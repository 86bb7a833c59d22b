#include "views/RowBrowser.h"

#include "models/DatasetTableModel.h"
#include "widgets/SearchBar.h"
#include "widgets/TableExportButton.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

namespace idgen::ui {

RowBrowser::RowBrowser(DatasetTableModel *model, const QString &countName, const QString &searchHint,
                       const QString &exportName, QWidget *parent)
    : DatasetPage(parent)
    , m_model(model)
    , m_search(new SearchBar(countName, this))
    , m_table(new QTableView(this))
    , m_detail(new QTextBrowser(this))
    , m_export(new TableExportButton(m_table, exportName, this))
    , m_busyDelay(new QTimer(this))
{
    m_model->setParent(this);
    m_search->textEdit()->setPlaceholderText(searchHint);
    m_table->setModel(m_model);
    m_table->setObjectName("rowTable");
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    // Fixed row heights and no content-based column sizing: either would make the view read
    // every row of the table instead of the visible page.
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    QHeaderView *header = m_table->horizontalHeader();
    header->setStretchLastSection(true);
    header->setSectionsClickable(true);
    header->setSortIndicatorShown(true);
    header->setSortIndicator(0, Qt::AscendingOrder);
    m_detail->setObjectName("rowDetail");
    m_detail->setOpenLinks(false);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    // The model holds only the pages on screen: the export reads every matching row first.
    m_export->setRowReader([this](auto ready, auto failed) {
        m_model->readAllRows(
            [ready](std::vector<TableRow> rows) {
                const auto shared = std::make_shared<const std::vector<TableRow>>(std::move(rows));
                ready(static_cast<int>(shared->size()), [shared](int row, int column) {
                    const auto &cells = (*shared)[static_cast<std::size_t>(row)].cells;
                    return column < cells.size() ? cells[column].toString() : QString();
                });
            },
            failed);
    });
    connect(m_export, &TableExportButton::exportFailed, this, &RowBrowser::errorOccurred);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_search, 1);
    bar->addWidget(m_export, 0, Qt::AlignTop);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(splitter, 1);

    // A slow query (a regex over long texts) greys the stale rows; a fast one does not flicker.
    m_busyDelay->setSingleShot(true);
    m_busyDelay->setInterval(200);
    connect(m_busyDelay, &QTimer::timeout, this, [this] { m_table->setEnabled(false); });
    connect(m_model, &DatasetTableModel::busyChanged, this, [this](bool busy) {
        if (busy) {
            m_search->setSearching();
            m_busyDelay->start();
        } else {
            m_busyDelay->stop();
            m_table->setEnabled(true);
        }
    });
    connect(header, &QHeaderView::sectionClicked, this, &RowBrowser::onHeaderClicked);
    connect(m_search, &SearchBar::filterChanged, this, [this] { m_model->setFilter(m_search->filter()); });
    connect(m_model, &DatasetTableModel::rowsCounted, m_search, &SearchBar::setMatchCount);
    connect(m_model, &DatasetTableModel::queryFailed, m_search, &SearchBar::showError);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &RowBrowser::updateDetail);
    // After every reload the first match is current, so a search shows its best hit at once.
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        if (m_model->rowCount() > 0)
            m_table->setCurrentIndex(m_model->index(0, 0));
        updateDetail();
    });
}

std::int64_t RowBrowser::datasetId() const
{
    return m_model->datasetId();
}

void RowBrowser::showDataset(const std::shared_ptr<const Database> &db, const std::optional<DatasetInfo> &info)
{
    m_db = info ? db : nullptr;
    m_model->setDataset(m_db, info ? info->id : -1);
    m_table->scrollToTop();
}

void RowBrowser::setColumnWidths(const QList<int> &characters)
{
    const int unit = fontMetrics().averageCharWidth();
    for (int column = 0; column < characters.size(); ++column)
        m_table->setColumnWidth(column, characters[column] * unit + 16);
}

void RowBrowser::onHeaderClicked(int section)
{
    if (!m_model->isSortable(section)) {
        m_table->horizontalHeader()->setSortIndicator(m_sortColumn, m_sortOrder);
        return;
    }
    m_sortOrder = section == m_sortColumn && m_sortOrder == Qt::AscendingOrder ? Qt::DescendingOrder : Qt::AscendingOrder;
    m_sortColumn = section;
    m_table->horizontalHeader()->setSortIndicator(m_sortColumn, m_sortOrder);
    m_model->sort(m_sortColumn, m_sortOrder);
}

void RowBrowser::updateDetail()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid() || !m_db) {
        m_detail->setHtml(tr("<p>Select a row to see its details.</p>"));
        return;
    }
    m_detail->setHtml(detailHtml(m_model->index(current.row(), 0)));
}

} // namespace idgen::ui
