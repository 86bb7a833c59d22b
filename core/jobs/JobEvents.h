#pragma once

#include <atomic>
#include <string_view>

namespace idgen {

// What a long-running job tells its front end. The CLI prints these; the GUI turns them into
// queued signals. Implementations must be cheap: jobs throttle progress calls themselves.
class JobEvents {
public:
    virtual ~JobEvents() = default;
    // fraction in [0, 1] of the whole job; stage names what is running now.
    virtual void progress(double fraction, std::string_view stage) { (void)fraction, (void)stage; }
    virtual void log(std::string_view message) { (void)message; }
};

// Set by the front end, polled by the job at safe points.
class StopToken {
public:
    StopToken() = default;
    explicit StopToken(const std::atomic<bool> *flag) : m_flag(flag) {}
    bool stopRequested() const { return m_flag && m_flag->load(std::memory_order_relaxed); }

private:
    const std::atomic<bool> *m_flag = nullptr;
};

} // namespace idgen
