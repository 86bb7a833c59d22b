#pragma once

#include "jobs/JobEvents.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <mutex>

class QThread;

namespace idgen::ui {

// Runs one core job at a time on a worker QThread and turns its events into queued signals, so
// the window never blocks. Exceptions never cross the thread boundary: they end the job as
// failed(message) (or cancelled() for idgen::Cancelled). The job must not touch widgets, and
// opens its own idgen::Database: SQLite connections are not shared across threads.
class JobRunner : public QObject {
    Q_OBJECT
public:
    using Job = std::function<void(JobEvents &, StopToken)>;

    explicit JobRunner(QObject *parent = nullptr);
    // Asks a running job to stop and waits for it: a job outliving its runner would signal into
    // freed memory.
    ~JobRunner() override;

    // Starts `job`; returns false (and starts nothing) when a job is already running.
    bool start(const QString &title, Job job);
    bool isRunning() const { return m_thread != nullptr; }
    QString title() const { return m_title; }
    // Minimum time between two progress signals of the same stage (stage changes always pass).
    void setProgressInterval(int milliseconds) { m_intervalMs = milliseconds; }

public Q_SLOTS:
    // Asks the job to stop at its next safe point; it then ends with cancelled().
    void cancel();

Q_SIGNALS:
    void started(const QString &title);
    void progress(double fraction, const QString &stage);
    void logLine(const QString &message);
    // A training run's metric point (a step's loss, an epoch's validation HR@10), every one.
    void metricPoint(const idgen::MetricPoint &point);
    void finished();
    void failed(const QString &message);
    void cancelled();
    // After finished, failed or cancelled: the runner is idle again.
    void runningChanged(bool running);

private:
    class Events;
    void onThreadFinished();
    void work(); // runs on the worker thread

    Job m_job;
    QString m_title;
    QThread *m_thread = nullptr;
    std::atomic<bool> m_stop{false};
    int m_intervalMs = 100;
    enum class Outcome { Done, Failed, Cancelled } m_outcome = Outcome::Done; // written by the worker
    QString m_error;                                                          // before it ends
};

} // namespace idgen::ui

Q_DECLARE_METATYPE(idgen::MetricPoint)
