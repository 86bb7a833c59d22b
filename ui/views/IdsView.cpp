#include "views/IdsView.h"

#include "ids/IdSnapshotRepository.h"
#include "models/BackgroundReader.h"
#include "models/RunRoundsModel.h"
#include "store/Database.h"
#include "train/RunRepository.h"
#include "views/IdBrowserPage.h"
#include "views/IdComparePage.h"
#include "views/IdRoundsPage.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QTabWidget>
#include <QVBoxLayout>

namespace idgen::ui {

IdsView::IdsView(ProjectContext &context, JobRunner &jobs, QWidget *parent)
    : ContextView(context, jobs, parent)
    , m_reader(new BackgroundReader(this))
    , m_snapshotBox(new QComboBox(this))
    , m_pages(new QTabWidget(this))
    , m_browser(new IdBrowserPage(*m_reader, this))
    , m_compare(new IdComparePage(*m_reader, this))
    , m_rounds(new IdRoundsPage(*m_reader, this))
{
    setObjectName("idsView");
    m_snapshotBox->setObjectName("idsSnapshot");
    m_snapshotBox->setMinimumContentsLength(24);
    m_pages->setDocumentMode(true);
    m_pages->addTab(m_browser, tr("Browse"));
    m_pages->addTab(m_compare, tr("Compare"));
    m_pages->addTab(m_rounds, tr("Rounds"));

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Snapshot"), this));
    bar->addWidget(m_snapshotBox);
    bar->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_pages, 1);

    connect(m_snapshotBox, &QComboBox::currentIndexChanged, this, [this] {
        if (m_filling || m_snapshotBox->currentIndex() < 0)
            return;
        const std::int64_t id = m_snapshotBox->currentData().toLongLong();
        try {
            this->context().setSnapshot(id);
        } catch (const std::exception &e) {
            reportError(tr("Could not open snapshot %1").arg(id), QString::fromUtf8(e.what()));
        }
        showCurrentSnapshot();
    });
    connect(m_browser, &IdBrowserPage::loadingChanged, this, &IdsView::onLoadingChanged);
    connect(m_compare, &IdComparePage::loadingChanged, this, &IdsView::onLoadingChanged);
    connect(m_rounds, &IdRoundsPage::loadingChanged, this, &IdsView::onLoadingChanged);
    const auto forward = [this](const QString &summary, const QString &message) { reportError(summary, message); };
    connect(m_browser, &IdBrowserPage::errorOccurred, this, forward);
    connect(m_compare, &IdComparePage::errorOccurred, this, forward);
    connect(m_rounds, &IdRoundsPage::errorOccurred, this, forward);
}

IdsView::~IdsView() = default;

bool IdsView::showPage(const QString &name)
{
    const QString page = name.toLower();
    QWidget *target = page == QLatin1String("browse")    ? static_cast<QWidget *>(m_browser)
                      : page == QLatin1String("compare") ? static_cast<QWidget *>(m_compare)
                      : page == QLatin1String("rounds")  ? static_cast<QWidget *>(m_rounds)
                                                         : nullptr;
    if (!target)
        return false;
    m_pages->setCurrentWidget(target);
    return true;
}

void IdsView::prepareScreenshot(const ScreenshotRequest &request)
{
    ContextView::prepareScreenshot(request);
    if (!context().snapshot())
        if (const auto newest = context().newestSnapshot())
            context().setSnapshot(newest);
    if (m_rounds->model()->rowCount() > 0 || (context().run() && m_snapshotCount > 0 && !request.snapshot &&
                                              context().database() &&
                                              RunRepository(*context().database()).snapshots(*context().run()).size() > 1))
        showPage(QStringLiteral("rounds"));
    else if (m_snapshotCount >= 2 && !request.snapshot)
        showPage(QStringLiteral("compare"));
    else
        showPage(QStringLiteral("browse"));
}

bool IdsView::isBusy() const
{
    return m_reader->pending() > 0;
}

void IdsView::onLoadingChanged()
{
    const bool busy = isBusy();
    if (busy != m_wasBusy) {
        m_wasBusy = busy;
        Q_EMIT busyChanged(busy);
    }
}

void IdsView::contextChanged(ContextChanges what)
{
    if (what & (ContextChange::Project | ContextChange::Dataset | ContextChange::Contents | ContextChange::Run))
        reloadLists();
    if (what & (ContextChange::Project | ContextChange::Dataset | ContextChange::Snapshot | ContextChange::Contents))
        showCurrentSnapshot();
}

void IdsView::reloadLists()
{
    const auto &db = context().database();
    const auto &dataset = context().dataset();
    std::vector<IdSnapshotInfo> snapshots;
    std::vector<RunRecord> roundRuns;
    try {
        if (db && dataset) {
            snapshots = IdSnapshotRepository(*db).list(dataset->name);
            const RunRepository runs(*db);
            for (const RunRecord &run : runs.list(dataset->name))
                if (runs.snapshots(run.id).size() > 1)
                    roundRuns.push_back(run);
        }
    } catch (const std::exception &e) {
        reportError(tr("Could not list the ID snapshots"), QString::fromUtf8(e.what()));
    }
    m_snapshotCount = snapshots.size();
    m_filling = true;
    m_snapshotBox->clear();
    for (auto it = snapshots.rbegin(); it != snapshots.rend(); ++it) {
        QString label = tr("%1 · %2 · %3 items").arg(it->id).arg(QString::fromStdString(it->scheme)).arg(it->items);
        if (it->round > 0)
            label += tr(" · round %1").arg(it->round);
        m_snapshotBox->addItem(label, QVariant::fromValue<qlonglong>(it->id));
    }
    m_filling = false;
    const std::filesystem::path project = context().projectPath().toStdString();
    m_compare->setSnapshots(project, snapshots);
    m_rounds->setRuns(project, roundRuns, context().run());
    onLoadingChanged();
}

void IdsView::showCurrentSnapshot()
{
    std::optional<std::int64_t> snapshot = context().snapshot();
    if (!snapshot && m_snapshotBox->count() > 0)
        snapshot = m_snapshotBox->itemData(0).toLongLong(); // the newest
    if (snapshot) {
        m_filling = true;
        m_snapshotBox->setCurrentIndex(m_snapshotBox->findData(QVariant::fromValue<qlonglong>(*snapshot)));
        m_filling = false;
    }
    m_browser->showSnapshot(context().projectPath().toStdString(), snapshot);
    onLoadingChanged();
}

} // namespace idgen::ui
