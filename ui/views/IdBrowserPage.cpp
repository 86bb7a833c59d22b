#include "views/IdBrowserPage.h"

#include "models/BackgroundReader.h"
#include "models/SnapshotBrowserModel.h"
#include "widgets/TableExportButton.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>

namespace idgen::ui {

IdBrowserPage::IdBrowserPage(BackgroundReader &reader, QWidget *parent)
    : QWidget(parent)
    , m_reader(reader)
    , m_model(new SnapshotBrowserModel(this))
    , m_table(new QTableView(this))
    , m_search(new QLineEdit(this))
    , m_scope(new QComboBox(this))
    , m_summary(new QLabel(this))
{
    m_search->setObjectName("idSearch");
    m_search->setPlaceholderText(tr("Search by ID, item text or raw id"));
    m_search->setClearButtonEnabled(true);
    m_scope->addItem(tr("ID or text"), static_cast<int>(SnapshotCatalog::Scope::Any));
    m_scope->addItem(tr("ID"), static_cast<int>(SnapshotCatalog::Scope::Id));
    m_scope->addItem(tr("Item text"), static_cast<int>(SnapshotCatalog::Scope::Text));
    m_scope->addItem(tr("Raw id"), static_cast<int>(SnapshotCatalog::Scope::RawId));
    m_table->setObjectName("idBrowserTable");
    m_table->setModel(m_model);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setResizeContentsPrecision(200); // sizes from a sample, not 12k rows
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    auto *exportButton = new TableExportButton(m_table, QStringLiteral("ids.csv"), this);
    connect(exportButton, &TableExportButton::exportFailed, this, &IdBrowserPage::errorOccurred);

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_search, 2);
    bar->addWidget(m_scope);
    bar->addWidget(m_summary, 1);
    bar->addWidget(exportButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);

    connect(m_search, &QLineEdit::textChanged, this, &IdBrowserPage::applyFilter);
    connect(m_scope, &QComboBox::currentIndexChanged, this, &IdBrowserPage::applyFilter);
}

void IdBrowserPage::showSnapshot(const std::filesystem::path &project, std::optional<std::int64_t> snapshot)
{
    if (snapshot == m_snapshot && m_model->catalog())
        return;
    m_snapshot = snapshot;
    m_model->setCatalog(nullptr);
    m_summary->clear();
    if (!snapshot)
        return;
    m_summary->setText(tr("reading snapshot %1…").arg(*snapshot));
    m_reader.run<std::shared_ptr<const SnapshotCatalog>>(
        project, [id = *snapshot](const Database &db) { return loadSnapshotCatalog(db, id); },
        [this, id = *snapshot](std::shared_ptr<const SnapshotCatalog> catalog) {
            if (m_snapshot == id) {
                m_model->setCatalog(std::move(catalog));
                m_table->resizeColumnsToContents();
                applyFilter();
            }
            Q_EMIT loadingChanged();
        },
        [this, id = *snapshot](const QString &error) {
            m_summary->setText(tr("snapshot %1 could not be read").arg(id));
            Q_EMIT errorOccurred(tr("Could not read snapshot %1").arg(id), error);
            Q_EMIT loadingChanged();
        });
    Q_EMIT loadingChanged();
}

void IdBrowserPage::search(const QString &query)
{
    m_search->setText(query);
}

void IdBrowserPage::applyFilter()
{
    const auto scope = static_cast<SnapshotCatalog::Scope>(m_scope->currentData().toInt());
    m_lastSearchMs = m_model->setFilter(m_search->text(), scope);
    const SnapshotCatalog *catalog = m_model->catalog();
    if (!catalog)
        return;
    m_summary->setText(tr("%1 of %2 items · searched in %3 ms")
                           .arg(m_model->rowCount())
                           .arg(catalog->size())
                           .arg(m_lastSearchMs, 0, 'f', 1));
}

} // namespace idgen::ui
