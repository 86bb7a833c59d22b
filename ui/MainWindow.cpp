#include "MainWindow.h"

#include "JobRunner.h"
#include "ProjectContext.h"
#include "RecentProjects.h"
#include "ViewRegistry.h"
#include "views/ContextView.h"
#include "widgets/ErrorBanner.h"
#include "widgets/ImportDialog.h"
#include "widgets/JobStatusWidget.h"

#include "jobs/DemoJob.h"
#include "store/Database.h"

#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QListWidget>
#include <QLocale>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

#include <utility>

// Resources of a static library are registered explicitly, outside any namespace.
static void initWorkbenchResources()
{
    Q_INIT_RESOURCE(resources);
}

namespace idgen::ui {
namespace {

const char *const kDemoName = "demo";

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_context(new ProjectContext(this))
    , m_jobs(new JobRunner(this))
    , m_jobStatus(new JobStatusWidget(m_jobs, this))
    , m_error(new ErrorBanner(this))
    , m_tabs(new QTabWidget(this))
    , m_datasetList(new QListWidget(this))
{
    static const bool resourcesReady = (initWorkbenchResources(), true);
    (void)resourcesReady;
    setObjectName("mainWindow");
    setWindowTitle(tr("IDGenRec Workbench"));
    setWindowIcon(QIcon(":/icons/idgenrec.svg"));

    m_tabs->setObjectName("viewTabs");
    m_tabs->setDocumentMode(true);
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->addWidget(m_error);
    layout->addWidget(m_tabs, 1);
    setCentralWidget(central);

    m_datasetList->setObjectName("datasetList");
    m_datasetList->setSelectionMode(QAbstractItemView::SingleSelection);
    m_datasetList->setAlternatingRowColors(true);
    auto *dock = new QDockWidget(tr("Datasets"), this);
    dock->setObjectName("datasetsDock");
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    dock->setWidget(m_datasetList);
    addDockWidget(Qt::LeftDockWidgetArea, dock);
    resizeDocks({dock}, {220}, Qt::Horizontal);

    statusBar()->addPermanentWidget(m_jobStatus);

    for (const ViewSpec &spec : workbenchViews()) {
        ContextView *view = spec.create(*m_context, *m_jobs, this);
        view->setProperty("viewName", spec.name);
        connect(view, &ContextView::errorOccurred, this, &MainWindow::showError);
        m_views.push_back(view);
        m_tabs->addTab(view, spec.title);
        view->refresh();
    }
    // A view that selects a run or snapshot of another dataset moves the side panel with it.
    connect(m_context, &ProjectContext::changed, this, [this](ContextChanges what) {
        if (what & ContextChange::Dataset)
            selectListRow(m_context->dataset());
    });

    createActions();
    createMenus();
    updateActions();

    connect(m_datasetList, &QListWidget::currentRowChanged, this, &MainWindow::onDatasetSelected);
    connect(m_jobs, &JobRunner::runningChanged, this, &MainWindow::updateActions);
    // A job that changed the project (demo creation, later training) is shown when it ends,
    // whatever the outcome: a failed job leaves the list as it was, which a refresh confirms.
    connect(m_jobs, &JobRunner::runningChanged, this, [this](bool running) {
        if (running)
            return;
        if (!m_selectAfterJob.isEmpty())
            refreshDatasets(std::exchange(m_selectAfterJob, QString()));
        m_context->notifyContentsChanged(); // a job may have added runs, snapshots, metrics
    });
    connect(m_jobs, &JobRunner::failed, this, [this](const QString &message) {
        showError(tr("%1 failed").arg(m_jobs->title()), message);
    });
    connect(m_jobs, &JobRunner::cancelled, this,
            [this] { statusBar()->showMessage(tr("%1: cancelled, nothing was changed").arg(m_jobs->title()), 8000); });

    QSettings settings;
    if (!restoreGeometry(settings.value("mainWindow/geometry").toByteArray()))
        resize(1200, 760);
    restoreState(settings.value("mainWindow/state").toByteArray());
    showView(settings.value("mainWindow/view").toString());
    onDatasetSelected();
}

MainWindow::~MainWindow() = default;

bool MainWindow::showView(const QString &name)
{
    auto matches = [&name](const QString &text) { return QString(text).remove('&').compare(name, Qt::CaseInsensitive) == 0; };
    for (std::size_t i = 0; i < m_views.size(); ++i) {
        if (matches(m_views[i]->property("viewName").toString()) || matches(m_tabs->tabText(static_cast<int>(i)))) {
            m_tabs->setCurrentWidget(m_views[i]);
            return true;
        }
    }
    for (ContextView *view : m_views) {
        if (view->showPage(name)) {
            m_tabs->setCurrentWidget(view);
            return true;
        }
    }
    return false;
}

ContextView *MainWindow::view(const QString &name) const
{
    for (ContextView *view : m_views) {
        if (view->property("viewName").toString().compare(name, Qt::CaseInsensitive) == 0)
            return view;
    }
    return nullptr;
}

ContextView *MainWindow::currentView() const
{
    return qobject_cast<ContextView *>(m_tabs->currentWidget());
}

QString MainWindow::currentViewName() const
{
    const ContextView *view = currentView();
    return view ? view->property("viewName").toString() : QString();
}

bool MainWindow::openProject(const QString &path, bool create)
{
    if (m_jobs->isRunning()) {
        showError(tr("Cannot switch projects now"), tr("'%1' is still running; wait for it or cancel it first.").arg(m_jobs->title()));
        return false;
    }
    std::shared_ptr<const Database> db;
    try {
        db = std::make_shared<const Database>(std::filesystem::path(path.toStdString()),
                                              create ? Database::Mode::CreateIfMissing : Database::Mode::OpenExisting);
    } catch (const std::exception &error) {
        showError(tr("Could not open the project"), QString::fromUtf8(error.what()));
        recent::remove(path);
        return false;
    }
    m_context->setProject(std::move(db));
    recent::add(path);
    const QFileInfo file(path);
    setWindowTitle(tr("%1 (%2) — IDGenRec Workbench").arg(file.fileName(), QDir::toNativeSeparators(file.absolutePath())));
    setWindowFilePath(file.absoluteFilePath());
    m_error->dismiss();
    refreshDatasets();
    updateActions();
    Q_EMIT projectOpened(file.absoluteFilePath());
    return true;
}

QString MainWindow::projectPath() const
{
    return m_context->database() ? QString::fromStdString(m_context->database()->path().string()) : QString();
}

void MainWindow::refreshDatasets(const QString &select)
{
    const QString keep = select.isEmpty() ? currentDatasetName() : select;
    m_datasets.clear();
    if (m_context->database()) {
        try {
            m_datasets = DatasetRepository(*m_context->database()).list();
        } catch (const std::exception &error) {
            showError(tr("Could not list the datasets"), QString::fromUtf8(error.what()));
        }
    }
    const QSignalBlocker blocker(m_datasetList);
    m_datasetList->clear();
    const QLocale locale;
    int selectRow = m_datasets.empty() ? -1 : 0;
    for (std::size_t i = 0; i < m_datasets.size(); ++i) {
        const DatasetInfo &info = m_datasets[i];
        const QString name = QString::fromStdString(info.name);
        auto *item = new QListWidgetItem(tr("%1\n%2 users · %3 items").arg(name, locale.toString(info.users), locale.toString(info.items)));
        item->setData(Qt::UserRole, name);
        item->setToolTip(tr("%1 (%2)\n%3 interactions\ncreated %4")
                             .arg(name, QString::fromStdString(info.format), locale.toString(info.interactions),
                                  QString::fromStdString(info.createdAt)));
        m_datasetList->addItem(item);
        if (name == keep)
            selectRow = static_cast<int>(i);
    }
    m_datasetList->setCurrentRow(selectRow);
    onDatasetSelected();
}

QStringList MainWindow::datasetNames() const
{
    QStringList names;
    for (const auto &info : m_datasets)
        names << QString::fromStdString(info.name);
    return names;
}

QString MainWindow::currentDatasetName() const
{
    const QListWidgetItem *item = m_datasetList->currentItem();
    return item ? item->data(Qt::UserRole).toString() : QString();
}

bool MainWindow::selectDataset(const QString &name)
{
    const int row = static_cast<int>(datasetNames().indexOf(name));
    if (row >= 0)
        m_datasetList->setCurrentRow(row);
    return row >= 0;
}

void MainWindow::onDatasetSelected()
{
    const int row = m_datasetList->currentRow();
    std::optional<DatasetInfo> info;
    if (row >= 0 && row < static_cast<int>(m_datasets.size()))
        info = m_datasets[static_cast<std::size_t>(row)];
    m_context->setDataset(info);
    Q_EMIT datasetShown(info ? QString::fromStdString(info->name) : QString());
}

void MainWindow::selectListRow(const std::optional<DatasetInfo> &dataset)
{
    const int row = dataset ? static_cast<int>(datasetNames().indexOf(QString::fromStdString(dataset->name))) : -1;
    if (row == m_datasetList->currentRow())
        return;
    const QSignalBlocker blocker(m_datasetList);
    m_datasetList->setCurrentRow(row);
}

ImportDialog *MainWindow::showImportDialog()
{
    if (!m_context->database())
        return nullptr;
    auto *dialog = new ImportDialog(m_context->database()->path(), m_jobs, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ImportDialog::datasetImported, this, [this](const QString &name) { refreshDatasets(name); });
    dialog->open();
    return dialog;
}

void MainWindow::createDemoDataset()
{
    if (!m_context->database())
        return;
    const std::filesystem::path path = m_context->database()->path();
    const bool started = m_jobs->start(tr("Creating the demo dataset"), [path](JobEvents &events, StopToken) {
        // Own connection on the worker thread; the window keeps reading through its own.
        const Database db(path, Database::Mode::OpenExisting);
        idgen::createDemoDataset(db, kDemoName, events);
    });
    if (!started) {
        showError(tr("Another job is running"), tr("'%1' is still running; try again when it has finished.").arg(m_jobs->title()));
        return;
    }
    m_selectAfterJob = kDemoName;
}

void MainWindow::ensureDemoDataset()
{
    if (!m_context->database())
        return;
    if (datasetNames().contains(kDemoName))
        selectDataset(kDemoName);
    else
        createDemoDataset();
}

void MainWindow::showError(const QString &summary, const QString &message, const QString &details)
{
    m_error->showError(summary, message, details);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // A running job is stopped, not abandoned: the runner waits for it to roll back.
    m_jobs->cancel();
    QSettings settings;
    settings.setValue("mainWindow/geometry", saveGeometry());
    settings.setValue("mainWindow/state", saveState());
    settings.setValue("mainWindow/view", currentViewName());
    QMainWindow::closeEvent(event);
}

} // namespace idgen::ui
