#include "views/IdComparePage.h"

#include "models/BackgroundReader.h"
#include "models/SnapshotDiffModel.h"
#include "plot/PlotWidget.h"
#include "widgets/HtmlDelegate.h"
#include "widgets/TableExportButton.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace idgen::ui {
namespace {

QString snapshotLabel(const IdSnapshotInfo &info)
{
    QString label = QStringLiteral("%1 · %2").arg(info.id).arg(QString::fromStdString(info.scheme));
    if (info.round > 0)
        label += QObject::tr(" · round %1").arg(info.round);
    if (!info.name.empty())
        label += QStringLiteral(" · ") + QString::fromStdString(info.name);
    return label;
}

QTableWidgetItem *cell(const QString &text)
{
    auto *item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    return item;
}

QTableWidget *readOnlyTable(const QStringList &headers, QWidget *parent)
{
    auto *table = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    table->setHorizontalHeaderLabels(headers);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    return table;
}

PlotSeries lengthSeries(const std::map<std::size_t, std::size_t> &histogram, const QString &key, const QString &label,
                        const QColor &colour, PlotSeries::Style style)
{
    PlotSeries series;
    series.key = key;
    series.label = label;
    series.colour = colour;
    series.style = style;
    series.smoothable = false;
    for (const auto &[length, count] : histogram) {
        series.x.push_back(static_cast<double>(length));
        series.y.push_back(static_cast<double>(count));
    }
    return series;
}

} // namespace

IdComparePage::IdComparePage(BackgroundReader &reader, QWidget *parent)
    : QWidget(parent)
    , m_reader(reader)
    , m_from(new QComboBox(this))
    , m_to(new QComboBox(this))
    , m_summary(new QLabel(this))
    , m_filter(new QLineEdit(this))
    , m_model(new SnapshotDiffModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
    , m_shape(readOnlyTable({tr(""), tr("From"), tr("To")}, this))
    , m_trie(readOnlyTable({tr("Depth"), tr("Nodes (from)"), tr("Branching (from)"), tr("Nodes (to)"), tr("Branching (to)")}, this))
    , m_histogram(new PlotWidget(this))
{
    m_from->setObjectName("compareFrom");
    m_to->setObjectName("compareTo");
    m_summary->setWordWrap(true);
    m_filter->setPlaceholderText(tr("Filter changed items"));
    m_filter->setClearButtonEnabled(true);
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_table->setObjectName("idDiffTable");
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // item order until a header is clicked
    m_table->setItemDelegate(new HtmlDelegate(m_table));
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setResizeContentsPrecision(200); // sizes from a sample, not every row
    m_table->verticalHeader()->hide();
    m_histogram->setTitle(tr("ID length"));
    m_histogram->setAxisLabels(tr("tokens per ID"), tr("items"));
    m_histogram->setSmoothingControlsVisible(false);
    m_histogram->setEmptyText(tr("choose two snapshots"));
    auto *exportButton = new TableExportButton(m_table, QStringLiteral("id-changes.csv"), this);
    connect(exportButton, &TableExportButton::exportFailed, this, &IdComparePage::errorOccurred);

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("From"), this));
    bar->addWidget(m_from, 1);
    bar->addWidget(new QLabel(tr("to"), this));
    bar->addWidget(m_to, 1);
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto *filterBar = new QHBoxLayout;
    filterBar->addWidget(m_filter, 1);
    filterBar->addWidget(exportButton);
    leftLayout->addWidget(m_summary);
    leftLayout->addLayout(filterBar);
    leftLayout->addWidget(m_table, 1);
    auto *right = new QSplitter(Qt::Vertical, this);
    right->addWidget(withExport(m_shape, QStringLiteral("id-assignment.csv")));
    right->addWidget(m_histogram);
    right->addWidget(withExport(m_trie, QStringLiteral("id-trie-per-depth.csv")));
    right->setStretchFactor(1, 2);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(split, 1);

    connect(m_from, &QComboBox::currentIndexChanged, this, &IdComparePage::compareChosen);
    connect(m_to, &QComboBox::currentIndexChanged, this, &IdComparePage::compareChosen);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
}

QWidget *IdComparePage::withExport(QTableWidget *table, const QString &exportName)
{
    auto *button = new TableExportButton(table, exportName, this);
    connect(button, &TableExportButton::exportFailed, this, &IdComparePage::errorOccurred);
    auto *box = new QWidget(this);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(button, 0, Qt::AlignRight);
    layout->addWidget(table, 1);
    return box;
}

void IdComparePage::setSnapshots(const std::filesystem::path &project, const std::vector<IdSnapshotInfo> &snapshots)
{
    m_project = project;
    const QVariant from = m_from->currentData();
    const QVariant to = m_to->currentData();
    m_filling = true;
    m_from->clear();
    m_to->clear();
    for (const IdSnapshotInfo &info : snapshots) {
        m_from->addItem(snapshotLabel(info), QVariant::fromValue<qlonglong>(info.id));
        m_to->addItem(snapshotLabel(info), QVariant::fromValue<qlonglong>(info.id));
    }
    const int n = m_from->count();
    const int keptFrom = from.isValid() ? m_from->findData(from) : -1;
    const int keptTo = to.isValid() ? m_to->findData(to) : -1;
    m_from->setCurrentIndex(keptFrom >= 0 ? keptFrom : std::max(0, n - 2));
    m_to->setCurrentIndex(keptTo >= 0 ? keptTo : n - 1);
    m_filling = false;
    compareChosen();
}

void IdComparePage::compare(std::int64_t from, std::int64_t to)
{
    m_filling = true;
    m_from->setCurrentIndex(m_from->findData(QVariant::fromValue<qlonglong>(from)));
    m_to->setCurrentIndex(m_to->findData(QVariant::fromValue<qlonglong>(to)));
    m_filling = false;
    compareChosen();
}

void IdComparePage::compareChosen()
{
    if (m_filling)
        return;
    if (m_from->currentIndex() < 0 || m_to->currentIndex() < 0) {
        m_model->setComparison(nullptr);
        m_summary->setText(tr("This dataset has no ID snapshots yet: idgenrec ids assign makes one."));
        return;
    }
    const std::int64_t from = m_from->currentData().toLongLong();
    const std::int64_t to = m_to->currentData().toLongLong();
    m_summary->setText(tr("comparing snapshots %1 and %2…").arg(from).arg(to));
    m_reader.run<std::shared_ptr<const SnapshotComparison>>(
        m_project, [from, to](const Database &db) { return compareSnapshots(db, from, to); },
        [this, from, to](std::shared_ptr<const SnapshotComparison> comparison) {
            if (m_from->currentData().toLongLong() == from && m_to->currentData().toLongLong() == to)
                show(std::move(comparison));
            Q_EMIT loadingChanged();
        },
        [this, from, to](const QString &error) {
            m_summary->setText(tr("snapshots %1 and %2 could not be compared").arg(from).arg(to));
            Q_EMIT errorOccurred(tr("Could not compare snapshots %1 and %2").arg(from).arg(to), error);
            Q_EMIT loadingChanged();
        });
    Q_EMIT loadingChanged();
}

void IdComparePage::show(std::shared_ptr<const SnapshotComparison> comparison)
{
    const SnapshotComparison &c = *comparison;
    m_summary->setText(tr("%1 of %2 items have another ID in snapshot %3 than in snapshot %4 (%5 %); "
                          "on average %6 words changed per item.")
                           .arg(c.diff.changed)
                           .arg(c.diff.items)
                           .arg(c.to.id)
                           .arg(c.from.id)
                           .arg(100.0 * c.diff.changedFraction, 0, 'f', 1)
                           .arg(c.diff.meanEditWords, 0, 'f', 3));
    const auto rows = std::vector<std::pair<QString, std::pair<std::size_t, std::size_t>>>{
        {tr("Collisions resolved"), {c.fromShape.collisionsResolved, c.toShape.collisionsResolved}},
        {tr("Escalations"), {c.fromShape.escalations, c.toShape.escalations}},
        {tr("Fallbacks"), {c.fromShape.fallbacks, c.toShape.fallbacks}},
        {tr("Trie depth (eos included)"), {c.fromShape.trieDepth, c.toShape.trieDepth}},
        {tr("Trie nodes"), {c.fromShape.trieNodes, c.toShape.trieNodes}},
    };
    m_shape->setRowCount(static_cast<int>(rows.size()));
    for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
        const auto &[label, values] = rows[static_cast<std::size_t>(r)];
        m_shape->setItem(r, 0, cell(label));
        m_shape->setItem(r, 1, cell(QString::number(values.first)));
        m_shape->setItem(r, 2, cell(QString::number(values.second)));
    }
    m_shape->resizeColumnsToContents();
    const std::size_t depths = std::max(c.fromShape.trieNodesPerDepth.size(), c.toShape.trieNodesPerDepth.size());
    m_trie->setRowCount(static_cast<int>(depths));
    const auto number = [](const auto &values, std::size_t d, int decimals) {
        return d < values.size() ? QString::number(static_cast<double>(values[d]), 'f', decimals) : QString();
    };
    for (std::size_t d = 0; d < depths; ++d) {
        const int r = static_cast<int>(d);
        m_trie->setItem(r, 0, cell(QString::number(d)));
        m_trie->setItem(r, 1, cell(number(c.fromShape.trieNodesPerDepth, d, 0)));
        m_trie->setItem(r, 2, cell(number(c.fromShape.trieBranchingPerDepth, d, 2)));
        m_trie->setItem(r, 3, cell(number(c.toShape.trieNodesPerDepth, d, 0)));
        m_trie->setItem(r, 4, cell(number(c.toShape.trieBranchingPerDepth, d, 2)));
    }
    const QPalette &pal = palette();
    m_histogram->setSeries({lengthSeries(c.fromShape.tokenLengths, QStringLiteral("from"), tr("snapshot %1").arg(c.from.id),
                                         pal.color(QPalette::Mid), PlotSeries::Style::Bars),
                            lengthSeries(c.toShape.tokenLengths, QStringLiteral("to"), tr("snapshot %1").arg(c.to.id),
                                         pal.color(QPalette::Highlight), PlotSeries::Style::LinePoints)});
    m_model->setComparison(std::move(comparison));
    m_table->resizeColumnsToContents();
}

} // namespace idgen::ui
