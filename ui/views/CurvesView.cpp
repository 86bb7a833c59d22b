#include "views/CurvesView.h"

#include "JobRunner.h"
#include "models/RunTableModel.h"
#include "plot/PlotWidget.h"
#include "plot/RunColours.h"
#include "plot/RunCurves.h"
#include "widgets/TableExportButton.h"

#include "store/Database.h"
#include "train/RunOverview.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

namespace idgen::ui {
namespace {

constexpr std::size_t kDefaultRuns = 6; // runs overlaid when nothing was chosen
constexpr int kLiveReloadMs = 1500;

QToolButton *toolButton(const QString &text, const QString &tip, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setText(text);
    button->setToolTip(tip);
    button->setAutoRaise(true);
    return button;
}

} // namespace

CurvesView::CurvesView(ProjectContext &context, JobRunner &jobs, QWidget *parent)
    : ContextView(context, jobs, parent)
    , m_model(new RunTableModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_table(new QTableView(this))
    , m_summary(new QLabel(this))
    , m_metricBox(new QComboBox(this))
    , m_axisBox(new QComboBox(this))
    , m_lossBox(new QComboBox(this))
    , m_metricPlot(new PlotWidget(this))
    , m_lossPlot(new PlotWidget(this))
    , m_liveReload(new QTimer(this))
{
    setObjectName("curvesView");
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(RunTableModel::SortRole);
    m_table->setObjectName("runsTable");
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(0, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionsMovable(true);
    m_table->horizontalHeader()->setStretchLastSection(true);

    for (const char *metric : {"hr@5", "hr@10", "hr@20", "ndcg@5", "ndcg@10", "ndcg@20"})
        m_metricBox->addItem(QString::fromLatin1(metric).toUpper(), QString::fromLatin1(metric));
    m_metricBox->setCurrentIndex(1);
    m_metricBox->setObjectName("curveMetric");
    m_axisBox->addItem(tr("per epoch"), static_cast<int>(CurveAxis::Epoch));
    m_axisBox->addItem(tr("per round"), static_cast<int>(CurveAxis::Round));
    m_axisBox->addItem(tr("per step"), static_cast<int>(CurveAxis::Step));
    m_axisBox->setObjectName("curveAxis");
    m_lossBox->addItem(tr("Loss per step"), QStringLiteral("loss"));
    m_lossBox->addItem(tr("Mean loss per epoch"), QStringLiteral("epoch_loss"));
    m_lossBox->addItem(tr("ID generator loss per step"), QStringLiteral("id_loss"));
    m_lossBox->setObjectName("lossCurve");
    m_metricPlot->setObjectName("metricPlot");
    m_lossPlot->setObjectName("lossPlot");
    m_metricPlot->setEmptyText(tr("select runs with validations in the table"));
    m_lossPlot->setEmptyText(tr("select trained runs in the table"));
    m_lossPlot->setSmoothing(Smoothing::Kind::Ema, 0.9);
    m_metricPlot->setSmoothing(Smoothing::Kind::None, 0);

    auto *refresh = toolButton(tr("Refresh"), tr("Read the runs again (F5): runs trained from the command line appear"), this);
    refresh->setObjectName("refreshRuns");
    auto *exportButton = new TableExportButton(m_table, QStringLiteral("runs.csv"), this);
    exportButton->setObjectName("exportRuns");
    auto *refreshAction = new QAction(tr("Refresh Runs"), this);
    refreshAction->setShortcut(QKeySequence(Qt::Key_F5));
    refreshAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(refreshAction);
    connect(refreshAction, &QAction::triggered, this, &CurvesView::reload);
    connect(refresh, &QToolButton::clicked, this, &CurvesView::reload);
    connect(exportButton, &TableExportButton::exportFailed, this, [this](const QString &summary, const QString &message) { reportError(summary, message); });

    auto *tableBar = new QHBoxLayout;
    tableBar->addWidget(m_summary, 1);
    tableBar->addWidget(refresh);
    tableBar->addWidget(exportButton);
    auto *tablePane = new QWidget(this);
    auto *tableLayout = new QVBoxLayout(tablePane);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addLayout(tableBar);
    tableLayout->addWidget(m_table);

    auto *metricPane = new QWidget(this);
    auto *metricLayout = new QVBoxLayout(metricPane);
    metricLayout->setContentsMargins(0, 0, 0, 0);
    auto *metricBar = new QHBoxLayout;
    metricBar->addWidget(new QLabel(tr("Validation"), this));
    metricBar->addWidget(m_metricBox);
    metricBar->addWidget(m_axisBox);
    metricBar->addStretch(1);
    metricLayout->addLayout(metricBar);
    metricLayout->addWidget(m_metricPlot, 1);
    auto *lossPane = new QWidget(this);
    auto *lossLayout = new QVBoxLayout(lossPane);
    lossLayout->setContentsMargins(0, 0, 0, 0);
    auto *lossBar = new QHBoxLayout;
    lossBar->addWidget(m_lossBox);
    lossBar->addStretch(1);
    lossLayout->addLayout(lossBar);
    lossLayout->addWidget(m_lossPlot, 1);

    auto *plots = new QSplitter(Qt::Horizontal, this);
    plots->addWidget(metricPane);
    plots->addWidget(lossPane);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName("curvesSplitter");
    split->addWidget(tablePane);
    split->addWidget(plots);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &CurvesView::onSelectionChanged);
    for (QComboBox *box : {m_metricBox, m_axisBox, m_lossBox})
        connect(box, &QComboBox::currentIndexChanged, this, &CurvesView::redrawCurves);
    for (PlotWidget *plot : {m_metricPlot, m_lossPlot})
        connect(plot, &PlotWidget::exportFailed, this, [this](const QString &summary, const QString &message) { reportError(summary, message); });

    // A run training in this window: its curves follow as its points are written.
    m_liveReload->setSingleShot(true);
    m_liveReload->setInterval(kLiveReloadMs);
    connect(m_liveReload, &QTimer::timeout, this, &CurvesView::reload);
    connect(&jobs, &JobRunner::metricPoint, this, [this](const MetricPoint &point) {
        if (isVisible() && !m_liveReload->isActive() && (point.split != "train" || plottedRuns().count(point.run)))
            m_liveReload->start();
    });
}

void CurvesView::contextChanged(ContextChanges what)
{
    if (what & (ContextChange::Project | ContextChange::Dataset | ContextChange::Contents)) {
        reload();
        return;
    }
    if ((what & ContextChange::Run) && !m_selecting && context().run() && !plottedRuns().count(*context().run()))
        selectRuns({*context().run()});
}

void CurvesView::reload()
{
    std::set<std::int64_t> keep = plottedRuns();
    std::set<std::int64_t> previous;
    for (const RunOverview &row : m_model->rows())
        previous.insert(row.run);
    std::vector<RunOverview> rows;
    if (context().database() && context().dataset()) {
        try {
            rows = runOverviews(*context().database(), context().dataset()->name);
        } catch (const std::exception &error) {
            reportError(tr("Could not read the runs"), QString::fromUtf8(error.what()));
        }
    }
    {
        const QSignalBlocker blocker(m_table->selectionModel());
        m_model->setRows(std::move(rows));
    }
    int trained = 0;
    int baselines = 0;
    std::set<std::int64_t> present;
    for (const RunOverview &row : m_model->rows()) {
        present.insert(row.run);
        (row.kind == "baseline" ? baselines : trained) += row.run > 0 ? 1 : 0;
    }
    m_summary->setText(context().dataset() ? tr("Dataset %4: trained runs %1 · baselines %2 · stand-alone evaluations %3")
                                                 .arg(trained)
                                                 .arg(baselines)
                                                 .arg(static_cast<int>(m_model->rows().size()) - trained - baselines)
                                                 .arg(QString::fromStdString(context().dataset()->name))
                                           : tr("No dataset selected"));
    std::erase_if(keep, [&present](std::int64_t run) { return !present.count(run); });
    const auto current = context().run();
    if (current && present.count(*current) && !previous.count(*current))
        keep.insert(*current); // a run that just appeared (started in this window) joins the plot
    if (keep.empty() && current && present.count(*current))
        keep = {*current};
    // Nothing chosen yet: the newest few runs, overlaid.
    if (keep.empty()) {
        for (auto row = m_model->rows().rbegin(); row != m_model->rows().rend() && keep.size() < kDefaultRuns; ++row) {
            if (row->run > 0)
                keep.insert(row->run);
        }
    }
    selectRuns(keep);
    m_table->resizeColumnsToContents();
}

std::set<std::int64_t> CurvesView::plottedRuns() const
{
    std::set<std::int64_t> runs;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows()) {
        const qlonglong run = index.data(RunTableModel::RunIdRole).toLongLong();
        if (run > 0)
            runs.insert(run);
    }
    return runs;
}

void CurvesView::selectRuns(const std::set<std::int64_t> &runs)
{
    {
        const QSignalBlocker blocker(m_table->selectionModel());
        m_table->clearSelection();
        QItemSelection selection;
        for (const std::int64_t run : runs) {
            const int row = m_model->rowOfRun(run);
            if (row < 0)
                continue;
            const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
            selection.select(index, index.siblingAtColumn(m_proxy->columnCount() - 1));
        }
        m_table->selectionModel()->select(selection, QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
    redrawCurves();
}

void CurvesView::onSelectionChanged()
{
    redrawCurves();
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    const qlonglong run = current.isValid() ? current.data(RunTableModel::RunIdRole).toLongLong() : 0;
    if (run > 0 && plottedRuns().count(run)) {
        m_selecting = true;
        try {
            context().setRun(run); // the other views follow the run clicked last
        } catch (const std::exception &error) {
            reportError(tr("Could not select run %1").arg(run), QString::fromUtf8(error.what()));
        }
        m_selecting = false;
    }
}

void CurvesView::redrawCurves()
{
    const auto axis = static_cast<CurveAxis>(m_axisBox->currentData().toInt());
    const std::string metric = m_metricBox->currentData().toString().toStdString();
    const std::string loss = m_lossBox->currentData().toString().toStdString();
    std::vector<PlotSeries> metricSeries;
    std::vector<PlotSeries> lossSeries;
    std::vector<std::pair<double, QString>> metricMarkers;
    std::vector<std::pair<double, QString>> lossMarkers;
    const auto &db = context().database();
    for (const std::int64_t run : plottedRuns()) {
        if (!db)
            break;
        const int row = m_model->rowOfRun(run);
        const RunOverview &overview = m_model->rows()[static_cast<std::size_t>(row)];
        const QString label = tr("%1 %2").arg(run).arg(QString::fromStdString(overview.name));
        const QColor colour = runColour(run, palette());
        try {
            std::vector<MetricPoint> valid;
            for (const MetricPoint &point : curvePoints(*db, run, metric)) {
                if (point.split == "valid")
                    valid.push_back(point);
            }
            if (!valid.empty()) {
                RunCurve curve = runCurve(valid, axis, QString::number(run), label, colour);
                metricSeries.push_back(std::move(curve.series));
                if (metricMarkers.empty())
                    metricMarkers = std::move(curve.markers);
            }
            std::vector<MetricPoint> train;
            for (const MetricPoint &point : curvePoints(*db, run, loss)) {
                if (point.split == "train")
                    train.push_back(point);
            }
            if (!train.empty()) {
                RunCurve curve = runCurve(train, loss == "epoch_loss" ? CurveAxis::Epoch : CurveAxis::Step, QString::number(run), label, colour);
                lossSeries.push_back(std::move(curve.series));
                if (lossMarkers.empty())
                    lossMarkers = std::move(curve.markers);
            }
        } catch (const std::exception &error) {
            reportError(tr("Could not read the metrics of run %1").arg(run), QString::fromUtf8(error.what()));
        }
    }
    showBaselinesAsLevels(metricSeries);
    const QString axisName = m_axisBox->currentIndex() == 1 ? tr("round") : m_axisBox->currentIndex() == 2 ? tr("step") : tr("epoch");
    m_metricPlot->setTitle(tr("Validation %1").arg(m_metricBox->currentText()));
    m_metricPlot->setAxisLabels(axisName, m_metricBox->currentText());
    m_metricPlot->setXTickStep(axis == CurveAxis::Step ? 0.0 : 1.0);
    m_metricPlot->setSeries(std::move(metricSeries));
    m_metricPlot->setMarkers(std::move(metricMarkers));
    m_lossPlot->setTitle(m_lossBox->currentText());
    m_lossPlot->setAxisLabels(loss == "epoch_loss" ? tr("epoch") : tr("step"), tr("loss"));
    m_lossPlot->setXTickStep(loss == "epoch_loss" ? 1.0 : 0.0);
    m_lossPlot->setSeries(std::move(lossSeries));
    m_lossPlot->setMarkers(std::move(lossMarkers));
}

// A baseline without epochs (pop, markov) has one validation point: drawn as a dashed level
// across the trained runs' range, so the curves can be read against it.
void CurvesView::showBaselinesAsLevels(std::vector<PlotSeries> &series) const
{
    double from = std::numeric_limits<double>::max();
    double to = std::numeric_limits<double>::lowest();
    for (const PlotSeries &s : series) {
        if (s.x.size() > 1) {
            from = std::min(from, s.x.front());
            to = std::max(to, s.x.back());
        }
    }
    if (from >= to)
        return;
    for (PlotSeries &s : series) {
        const int row = m_model->rowOfRun(s.key.toLongLong());
        if (s.x.size() != 1 || row < 0 || m_model->rows()[static_cast<std::size_t>(row)].kind != "baseline")
            continue;
        s.x = {from, to};
        s.y = {s.y.front(), s.y.front()};
        s.style = PlotSeries::Style::Line;
        s.pen = Qt::DashLine;
        s.smoothable = false;
    }
}

void CurvesView::prepareScreenshot(const ScreenshotRequest &request)
{
    ContextView::prepareScreenshot(request); // the newest run is current unless one was named
    if (request.run) {
        selectRuns({*request.run});
        return;
    }
    std::set<std::int64_t> runs;
    for (auto row = m_model->rows().rbegin(); row != m_model->rows().rend() && runs.size() < kDefaultRuns; ++row) {
        if (row->run > 0)
            runs.insert(row->run);
    }
    selectRuns(runs);
}

} // namespace idgen::ui
