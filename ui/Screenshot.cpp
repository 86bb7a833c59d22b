#include "Screenshot.h"

#include "JobRunner.h"
#include "MainWindow.h"
#include "ProjectContext.h"
#include "ViewRegistry.h"

#include <QElapsedTimer>
#include <QPixmap>
#include <QTimer>

#include <memory>

namespace idgen::ui {
namespace {

constexpr int kPollMs = 50;
constexpr int kSettleMs = 300; // lets the last paint (plots replot on a queued call) land

// One screenshot, driven by a timer: wait for the job, choose the content, wait for the views,
// save. Deletes itself when done.
class ScreenshotSession : public QObject {
public:
    ScreenshotSession(MainWindow &window, ScreenshotOptions options, std::function<void(int, const QString &)> done)
        : QObject(&window)
        , m_window(window)
        , m_options(std::move(options))
        , m_done(std::move(done))
    {
        m_clock.start();
        connect(&m_poll, &QTimer::timeout, this, &ScreenshotSession::poll);
        m_poll.start(kPollMs);
    }

private:
    void poll()
    {
        if (m_clock.elapsed() > m_options.timeoutMs) {
            finish(1, QObject::tr("the view '%1' was still busy after %2 s; no screenshot was saved")
                          .arg(m_options.view)
                          .arg(m_options.timeoutMs / 1000));
            return;
        }
        if (m_window.jobRunner()->isRunning())
            return; // the demo dataset is still being created, say
        if (!m_prepared) {
            m_prepared = true;
            prepare();
            return;
        }
        for (const ViewSpec &spec : workbenchViews()) {
            if (const ContextView *view = m_window.view(spec.name); view && view->isBusy())
                return;
        }
        m_poll.stop();
        QTimer::singleShot(kSettleMs, this, [this] {
            ContextView *view = m_window.currentView();
            if (view && view->isBusy()) { // something new started: wait again
                m_poll.start(kPollMs);
                return;
            }
            if (m_window.grab().save(m_options.file, "PNG"))
                finish(0, {});
            else
                finish(1, QObject::tr("could not write the screenshot to %1").arg(m_options.file));
        });
    }

    void prepare()
    {
        ContextView *view = m_window.view(m_options.view);
        if (!view) {
            finish(1, QObject::tr("there is no view named '%1'; the views are: %2")
                          .arg(m_options.view, viewNames().join(QStringLiteral(", "))));
            return;
        }
        const ScreenshotRequest &request = m_options.request;
        try {
            ProjectContext &context = *m_window.context();
            if (request.run)
                context.setRun(request.run);
            if (request.snapshot)
                context.setSnapshot(request.snapshot);
            if (!request.user.isEmpty())
                context.setUser(request.user);
            m_window.showView(m_options.view);
            view->prepareScreenshot(request);
        } catch (const std::exception &error) {
            finish(1, QString::fromUtf8(error.what()));
        }
    }

    void finish(int code, const QString &message)
    {
        m_poll.stop();
        const auto done = std::move(m_done);
        deleteLater();
        if (done)
            done(code, message);
    }

    MainWindow &m_window;
    ScreenshotOptions m_options;
    std::function<void(int, const QString &)> m_done;
    QTimer m_poll;
    QElapsedTimer m_clock;
    bool m_prepared = false;
};

} // namespace

void runScreenshot(MainWindow &window, const ScreenshotOptions &options, std::function<void(int, const QString &)> done)
{
    new ScreenshotSession(window, options, std::move(done));
}

} // namespace idgen::ui
