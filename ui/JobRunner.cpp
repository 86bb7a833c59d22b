#include "JobRunner.h"

#include "util/Error.h"

#include <QThread>

namespace idgen::ui {

// Adapts core events to the runner's signals. Signals emitted on the worker thread reach
// receivers in the GUI thread as queued calls; progress is throttled so a job reporting every
// row cannot flood the event loop.
class JobRunner::Events final : public JobEvents {
public:
    Events(JobRunner &runner, int intervalMs) : m_runner(runner), m_intervalMs(intervalMs) { m_clock.start(); }

    void progress(double fraction, std::string_view stage) override
    {
        const bool newStage = stage != m_lastStage;
        if (!newStage && fraction < 1.0 && m_clock.isValid() && m_clock.elapsed() < m_intervalMs)
            return;
        m_clock.restart();
        m_lastStage = stage;
        Q_EMIT m_runner.progress(fraction, QString::fromUtf8(stage.data(), static_cast<qsizetype>(stage.size())));
    }

    void log(std::string_view message) override
    {
        Q_EMIT m_runner.logLine(QString::fromUtf8(message.data(), static_cast<qsizetype>(message.size())));
    }

    void metric(const MetricPoint &point) override { Q_EMIT m_runner.metricPoint(point); }

private:
    JobRunner &m_runner;
    int m_intervalMs;
    QElapsedTimer m_clock;
    std::string m_lastStage;
};

JobRunner::JobRunner(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<idgen::MetricPoint>(); // crosses the thread boundary by queued signal
}

JobRunner::~JobRunner()
{
    if (m_thread) {
        m_stop = true;
        m_thread->wait();
        delete m_thread;
    }
}

bool JobRunner::start(const QString &title, Job job)
{
    if (m_thread)
        return false;
    m_job = std::move(job);
    m_title = title;
    m_stop = false;
    m_outcome = Outcome::Done;
    m_error.clear();
    m_thread = QThread::create([this] { work(); });
    // QThread::finished is emitted on the worker; the receiver lives here, so the slot runs in
    // this thread after every progress signal the job emitted before it ended.
    connect(m_thread, &QThread::finished, this, &JobRunner::onThreadFinished, Qt::QueuedConnection);
    Q_EMIT started(title);
    Q_EMIT runningChanged(true);
    m_thread->start();
    return true;
}

void JobRunner::cancel()
{
    if (m_thread)
        m_stop = true;
}

void JobRunner::work()
{
    Events events(*this, m_intervalMs);
    try {
        m_job(events, StopToken(&m_stop));
        // A job that finished despite a late stop request did its work: report it as done.
        m_outcome = Outcome::Done;
    } catch (const Cancelled &) {
        m_outcome = Outcome::Cancelled;
    } catch (const std::exception &error) {
        m_outcome = Outcome::Failed;
        m_error = QString::fromUtf8(error.what());
    } catch (...) {
        m_outcome = Outcome::Failed;
        m_error = tr("the job failed with an unknown error");
    }
}

void JobRunner::onThreadFinished()
{
    QThread *thread = m_thread;
    m_thread = nullptr;
    thread->wait();
    delete thread;
    m_job = nullptr; // releases whatever the job captured (its own database connection, ...)
    const Outcome outcome = m_outcome;
    Q_EMIT runningChanged(false);
    switch (outcome) {
    case Outcome::Done: Q_EMIT finished(); break;
    case Outcome::Cancelled: Q_EMIT cancelled(); break;
    case Outcome::Failed: Q_EMIT failed(m_error); break;
    }
}

} // namespace idgen::ui
