#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace idgen {

class Cancelled;

// One measured value of a training run, as it happens (a step's loss, an epoch's validation
// HR@10, ...). Kept in the project file (table run_metrics) so curves can be drawn while the run
// still trains; split is "train", "valid" or "test".
struct MetricPoint {
    std::int64_t run = 0;
    int round = 0;
    int epoch = 0;
    std::int64_t step = 0;
    std::string split;
    std::string name;
    double value = 0.0;
};

// What a long-running job tells its front end, one typed callback per kind of news (whisper.cpp's
// habit): the CLI prints them (JSON lines with --json), the GUI turns them into queued signals.
// Implementations must be cheap: jobs throttle progress calls themselves.
class JobEvents {
public:
    virtual ~JobEvents() = default;
    // fraction in [0, 1] of the whole job; stage names what is running now.
    virtual void progress(double fraction, std::string_view stage) { (void)fraction, (void)stage; }
    virtual void log(std::string_view message) { (void)message; }
    virtual void metric(const MetricPoint &point) { (void)point; }
};

// Set by the front end, polled by the job at safe points.
class StopToken {
public:
    StopToken() = default;
    explicit StopToken(const std::atomic<bool> *flag) : m_flag(flag) {}
    bool stopRequested() const { return m_flag && m_flag->load(std::memory_order_relaxed); }
    // Throws Cancelled when a stop was asked for.
    void throwIfRequested() const;

private:
    const std::atomic<bool> *m_flag = nullptr;
};

} // namespace idgen
