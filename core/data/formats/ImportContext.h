#pragma once

#include "jobs/JobEvents.h"

#include <chrono>
#include <string>

namespace idgen {

class TextReader;

// Passed to format readers: progress reporting (throttled) and cancellation. A reader maps its
// own progress in [0, 1] into the job's range for the current stage.
class ImportContext {
public:
    ImportContext(JobEvents &events, StopToken stop) : m_events(events), m_stop(stop) {}

    void beginStage(std::string stage, double from, double to);
    // Call often (every line is fine): reports at most ~20 times a second and checks for stop.
    void advance(double stageFraction);
    void advance(const TextReader &reader);
    void log(std::string_view message) { m_events.log(message); }

private:
    bool due();
    void report(double stageFraction);

    JobEvents &m_events;
    StopToken m_stop;
    std::string m_stage;
    double m_from = 0.0;
    double m_to = 1.0;
    unsigned m_calls = 0;
    std::chrono::steady_clock::time_point m_lastReport{};
};

} // namespace idgen
