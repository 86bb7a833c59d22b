#include "views/IdRoundsPage.h"

#include "models/BackgroundReader.h"
#include "models/RunRoundsModel.h"
#include "widgets/HtmlDelegate.h"
#include "widgets/TableExportButton.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace idgen::ui {

IdRoundsPage::IdRoundsPage(BackgroundReader &reader, QWidget *parent)
    : QWidget(parent)
    , m_reader(reader)
    , m_run(new QComboBox(this))
    , m_summary(new QLabel(this))
    , m_filter(new QLineEdit(this))
    , m_model(new RunRoundsModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
{
    m_run->setObjectName("roundsRun");
    m_filter->setPlaceholderText(tr("Filter by raw id, title or ID"));
    m_filter->setClearButtonEnabled(true);
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_table->setObjectName("roundsTable");
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // item order until a header is clicked
    m_table->setItemDelegate(new HtmlDelegate(m_table));
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setResizeContentsPrecision(200); // sizes from a sample, not 12k rows
    auto *exportButton = new TableExportButton(m_table, QStringLiteral("ids-per-round.csv"), this);
    connect(exportButton, &TableExportButton::exportFailed, this, &IdRoundsPage::errorOccurred);

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Run"), this));
    bar->addWidget(m_run, 1);
    bar->addWidget(m_filter, 1);
    bar->addWidget(exportButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_summary);
    layout->addWidget(m_table, 1);

    connect(m_run, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_filling)
            showRun(m_run->currentIndex() < 0 ? std::nullopt : std::optional<std::int64_t>(m_run->currentData().toLongLong()));
    });
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
}

void IdRoundsPage::setRuns(const std::filesystem::path &project, const std::vector<RunRecord> &runs,
                           std::optional<std::int64_t> current)
{
    m_project = project;
    m_filling = true;
    m_run->clear();
    for (auto it = runs.rbegin(); it != runs.rend(); ++it)
        m_run->addItem(tr("run %1 · %2 · %3").arg(it->id).arg(QString::fromStdString(it->name), QString::fromStdString(it->status)),
                       QVariant::fromValue<qlonglong>(it->id));
    const int chosen = current ? m_run->findData(QVariant::fromValue<qlonglong>(*current)) : -1;
    m_run->setCurrentIndex(chosen >= 0 ? chosen : (m_run->count() > 0 ? 0 : -1));
    m_filling = false;
    if (m_run->count() == 0) {
        m_shown.reset();
        m_model->setRounds(nullptr);
        m_summary->setText(tr("No run of this dataset has rounds yet: alternate training (idgenrec train --config "
                              "demo-idgenrec) links a snapshot to every round."));
        return;
    }
    showRun(m_run->currentData().toLongLong());
}

void IdRoundsPage::showRun(std::optional<std::int64_t> run)
{
    if (!run || run == m_shown)
        return;
    m_shown = run;
    m_summary->setText(tr("reading the rounds of run %1…").arg(*run));
    m_reader.run<std::shared_ptr<const RunRounds>>(
        m_project, [id = *run](const Database &db) { return loadRunRounds(db, id); },
        [this, id = *run](std::shared_ptr<const RunRounds> rounds) {
            if (m_shown == id) {
                m_model->setRounds(std::move(rounds));
                m_summary->setText(tr("Run %1: %2 rounds; %3 of %4 items changed their ID at least once.")
                                       .arg(id)
                                       .arg(m_model->rounds()->rounds.size())
                                       .arg(m_model->changedItems())
                                       .arg(m_model->rowCount()));
                m_table->resizeColumnsToContents();
            }
            Q_EMIT loadingChanged();
        },
        [this, id = *run](const QString &error) {
            m_summary->setText(tr("the rounds of run %1 could not be read").arg(id));
            Q_EMIT errorOccurred(tr("Could not read the rounds of run %1").arg(id), error);
            Q_EMIT loadingChanged();
        });
    Q_EMIT loadingChanged();
}

void IdRoundsPage::filter(const QString &text)
{
    m_filter->setText(text);
}

} // namespace idgen::ui
