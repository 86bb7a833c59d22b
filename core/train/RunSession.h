#pragma once

#include "jobs/JobEvents.h"
#include "train/RunRepository.h"
#include "util/Clock.h"
#include "util/Error.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace idgen {

class Database;

// One process's handle on a run while it trains: metric points go to the front end at once and
// to the project file in small transactions (at most every two seconds, and on flush), so the
// window can draw a run that the CLI is still training without the writes slowing the steps;
// stopRequested() answers for the caller's StopToken (Ctrl-C, the window's Stop) and for
// `idgenrec stop` from another process (the runs table, polled at most every two seconds), which
// also keeps the run's heartbeat fresh.
// In a data-parallel run every rank has one; only rank 0's writes (writes = false for the others:
// their metric points, flushes and heartbeats are dropped, stopRequested() answers for their own
// signals alone, and rank 0 shares the decision with them).
class RunSession {
public:
    RunSession(const Database &db, std::int64_t run, JobEvents &events, StopToken stop, bool writes = true);
    ~RunSession(); // flushes; never throws

    std::int64_t id() const { return m_run; }
    bool writes() const { return m_writes; }
    RunRepository &runs() { return m_runs; }
    JobEvents &events() { return m_events; }

    void metric(int round, int epoch, std::int64_t step, const std::string &split, const std::string &name,
                double value);
    void flush();
    bool stopRequested();
    // At a step boundary: true when the run must stop; while `pause` is set, waits (the run shows
    // "paused") until it is released or a stop arrives.
    bool waitWhilePausedOrStop(const std::atomic<bool> *pause);
    void log(std::string_view message) { m_events.log(message); }
    void progress(double fraction, std::string_view stage) { m_events.progress(fraction, stage); }

private:
    void poll();

    RunRepository m_runs;
    std::int64_t m_run;
    JobEvents &m_events;
    StopToken m_stop;
    std::vector<MetricPoint> m_pending;
    Stopwatch m_sinceFlush;
    Stopwatch m_sincePoll;
    bool m_remoteStop = false;
    bool m_writes = true;
};

// The run cannot go on (a rank of a data-parallel group failed) but left last.ckpt to continue
// from: finishRun marks it interrupted, so `idgenrec resume` takes it.
class RunInterrupted : public Error {
public:
    using Error::Error;
};

// How a run's work ended: finished (with the run's summary) or stopped (with a message saying how
// to continue).
struct RunEnd {
    bool finished = true;
    nlohmann::json summary = nlohmann::json::object();
    std::string message;
};

// Runs a run's work and records how it ended: done with its summary; stopped with the message
// (also logged), or when a Cancelled escaped the work; interrupted for a RunInterrupted and failed
// for any other error, which is rethrown.
void finishRun(const Database &db, std::int64_t run, JobEvents &events, const std::function<RunEnd()> &work);

// The last line of `train`, `baseline` and `resume`: {"run", "status", "valid": {...}, "test":
// {"metrics": {...}}, ...} from the run's summary.
nlohmann::json runOutcomeJson(const RunRecord &run);

} // namespace idgen
