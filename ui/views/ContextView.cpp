#include "views/ContextView.h"

namespace idgen::ui {

ContextView::ContextView(ProjectContext &context, JobRunner &jobs, QWidget *parent)
    : QWidget(parent)
    , m_context(context)
    , m_jobs(jobs)
{
    connect(&m_context, &ProjectContext::changed, this, [this](ContextChanges what) { contextChanged(what); });
}

bool ContextView::showPage(const QString &name)
{
    (void)name;
    return false;
}

void ContextView::prepareScreenshot(const ScreenshotRequest &request)
{
    if (request.run || request.snapshot)
        return;
    if (const auto run = m_context.newestRun())
        m_context.setRun(run);
    else if (const auto snapshot = m_context.newestSnapshot())
        m_context.setSnapshot(snapshot);
}

void ContextView::refresh()
{
    contextChanged(ContextChange::Project | ContextChange::Dataset | ContextChange::Snapshot | ContextChange::Run |
                   ContextChange::User | ContextChange::Contents);
}

void ContextView::reportError(const QString &summary, const QString &message, const QString &details)
{
    Q_EMIT errorOccurred(summary, message, details);
}

} // namespace idgen::ui
