#include "train/RunSession.h"

#include "store/Database.h"
#include "util/Error.h"

#include <chrono>
#include <thread>

namespace idgen {
namespace {

constexpr double kFlushSeconds = 2.0;
constexpr double kPollSeconds = 2.0;

} // namespace

RunSession::RunSession(const Database &db, std::int64_t run, JobEvents &events, StopToken stop, bool writes)
    : m_runs(db)
    , m_run(run)
    , m_events(events)
    , m_stop(stop)
    , m_writes(writes)
{
}

RunSession::~RunSession()
{
    try {
        flush();
    } catch (...) {
        // A destructor runs during unwinding too; the points are lost, the run's status says why.
    }
}

void RunSession::metric(int round, int epoch, std::int64_t step, const std::string &split, const std::string &name,
                        double value)
{
    MetricPoint point{m_run, round, epoch, step, split, name, value};
    m_events.metric(point);
    m_pending.push_back(std::move(point));
    if (m_sinceFlush.seconds() >= kFlushSeconds)
        flush();
}

void RunSession::flush()
{
    if (m_writes)
        m_runs.addMetrics(m_pending);
    m_pending.clear();
    m_sinceFlush.restart();
}

void RunSession::poll()
{
    m_sincePoll.restart();
    m_remoteStop = m_runs.stopRequested(m_run);
    m_runs.heartbeat(m_run);
}

bool RunSession::stopRequested()
{
    if (m_stop.stopRequested())
        return true;
    if (m_writes && m_sincePoll.seconds() >= kPollSeconds)
        poll();
    return m_remoteStop;
}

bool RunSession::waitWhilePausedOrStop(const std::atomic<bool> *pause)
{
    if (stopRequested())
        return true;
    if (!pause || !pause->load())
        return false;
    flush();
    m_runs.setStatus(m_run, "paused");
    log("paused");
    while (pause->load()) {
        if (stopRequested())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    m_runs.setStatus(m_run, "running");
    log("resumed");
    return false;
}

void finishRun(const Database &db, std::int64_t run, JobEvents &events, const std::function<RunEnd()> &work)
{
    RunRepository runs(db);
    try {
        const RunEnd end = work();
        if (!end.finished) {
            runs.setStatus(run, "stopped", end.message);
            events.log(end.message);
            return;
        }
        runs.setSummary(run, end.summary);
        runs.setStatus(run, "done");
    } catch (const Cancelled &) {
        runs.setStatus(run, "stopped", "stopped before its first checkpoint; idgenrec resume continues it");
    } catch (const RunInterrupted &error) {
        runs.setStatus(run, "interrupted", error.what());
        throw;
    } catch (const std::exception &error) {
        runs.setStatus(run, "failed", error.what());
        throw;
    }
}

nlohmann::json runOutcomeJson(const RunRecord &run)
{
    nlohmann::json out = {{"run", run.id}, {"status", run.status}, {"kind", run.kind}, {"name", run.name}};
    for (const char *key : {"valid", "test", "best_epoch", "epochs", "samples_per_s", "tokens_per_s", "train_seconds", "rounds"})
        if (run.summary.contains(key))
            out[key] = run.summary[key];
    if (!run.message.empty())
        out["message"] = run.message;
    out["checkpoint_best"] = run.checkpointBest;
    return out;
}

} // namespace idgen
