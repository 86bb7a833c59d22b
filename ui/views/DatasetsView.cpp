#include "views/DatasetsView.h"

#include "models/DatasetTableModel.h"
#include "views/ItemsView.h"
#include "views/SummaryView.h"
#include "views/UsersView.h"

#include <QTabWidget>
#include <QVBoxLayout>

namespace idgen::ui {

DatasetsView::DatasetsView(ProjectContext &context, JobRunner &jobs, QWidget *parent)
    : ContextView(context, jobs, parent)
    , m_pages(new QTabWidget(this))
{
    setObjectName("datasetsView");
    m_pages->setObjectName("datasetPages");
    m_pages->setDocumentMode(true);
    m_pages->setTabPosition(QTabWidget::South);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_pages);
    addPage(new SummaryView(this), "summary", tr("Summary"));
    auto *items = new ItemsView(this);
    auto *users = new UsersView(this);
    addPage(items, "items", tr("Items"));
    addPage(users, "users", tr("Users"));
    for (RowBrowser *browser : {static_cast<RowBrowser *>(items), static_cast<RowBrowser *>(users)}) {
        m_browsers.push_back(browser);
        connect(browser->model(), &DatasetTableModel::busyChanged, this, [this] { Q_EMIT busyChanged(isBusy()); });
        connect(browser, &RowBrowser::errorOccurred, this,
                [this](const QString &summary, const QString &message) { reportError(summary, message); });
    }
}

void DatasetsView::addPage(DatasetPage *page, const QString &name, const QString &title)
{
    page->setProperty("pageName", name);
    m_pageList.push_back(page);
    m_pages->addTab(page, title);
}

bool DatasetsView::showPage(const QString &name)
{
    for (DatasetPage *page : m_pageList) {
        if (page->property("pageName").toString().compare(name, Qt::CaseInsensitive) == 0) {
            m_pages->setCurrentWidget(page);
            return true;
        }
    }
    return false;
}

bool DatasetsView::isBusy() const
{
    for (const RowBrowser *browser : m_browsers) {
        if (browser->model()->isLoading())
            return true;
    }
    return false;
}

void DatasetsView::contextChanged(ContextChanges what)
{
    if (!(what & (ContextChange::Project | ContextChange::Dataset)))
        return;
    for (DatasetPage *page : m_pageList)
        page->showDataset(context().database(), context().dataset());
}

} // namespace idgen::ui
