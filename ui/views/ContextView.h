#pragma once

#include "ProjectContext.h"

#include <QString>
#include <QWidget>

#include <cstdint>
#include <optional>

namespace idgen::ui {

class JobRunner;

// What the screenshot command asked for (--run, --snapshot, --user); empty fields were not given.
struct ScreenshotRequest {
    std::optional<std::int64_t> run;
    std::optional<std::int64_t> snapshot;
    QString user;
};

// A top-level view of the window (one tab): it observes the project context and redraws what a
// change concerns in contextChanged(). Long work goes to the shared JobRunner or a background
// reader, never onto the GUI thread; errors go out through reportError() and stay on the
// window's banner until dismissed.
class ContextView : public QWidget {
    Q_OBJECT
public:
    ContextView(ProjectContext &context, JobRunner &jobs, QWidget *parent = nullptr);

    ProjectContext &context() const { return m_context; }
    JobRunner &jobs() const { return m_jobs; }

    // Makes a named page of this view current (the Datasets view's "items"); false when it has
    // none of that name. --view and MainWindow::showView reach pages through this.
    virtual bool showPage(const QString &name);
    // The screenshot command: choose what to show. What the request names is already current;
    // for what it leaves out, the default picks the newest run, else the newest ID snapshot of
    // the current dataset. Override to pick more (a user with a stored trace, ...).
    virtual void prepareScreenshot(const ScreenshotRequest &request);
    // True while content is still being read or computed; the screenshot waits for false.
    // Emit busyChanged() when it flips.
    virtual bool isBusy() const { return false; }
    // Redraws everything, as after opening a project (the window calls it once on creation).
    void refresh();

Q_SIGNALS:
    void busyChanged(bool busy);
    void errorOccurred(const QString &summary, const QString &message, const QString &details);

protected:
    // Called with the flags of every change of the context (ContextChange).
    virtual void contextChanged(ContextChanges what) = 0;
    void reportError(const QString &summary, const QString &message, const QString &details = {});

private:
    ProjectContext &m_context;
    JobRunner &m_jobs;
};

} // namespace idgen::ui
