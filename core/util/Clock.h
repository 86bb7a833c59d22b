#pragma once

#include <chrono>
#include <string>

namespace idgen {

// The current UTC time as ISO 8601 ("2026-11-23T08:29:30Z"), as stored in project files.
std::string nowIso8601();

// Wall-clock seconds since construction (steady clock), for the timings jobs report.
class Stopwatch {
public:
    Stopwatch() : m_start(std::chrono::steady_clock::now()) {}
    double seconds() const
    {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    }
    void restart() { m_start = std::chrono::steady_clock::now(); }

private:
    std::chrono::steady_clock::time_point m_start;
};

} // namespace idgen
