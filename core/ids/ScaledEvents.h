#pragma once

#include "jobs/JobEvents.h"

namespace idgen {

// Passes a step's events on, mapping its progress [0, 1] onto [from, to] of the whole job, so a
// job made of steps (train a tokenizer, assign item IDs, assign user IDs) shows one rising bar.
class ScaledEvents final : public JobEvents {
public:
    ScaledEvents(JobEvents &inner, double from, double to) : m_inner(inner), m_from(from), m_to(to) {}
    void progress(double fraction, std::string_view stage) override
    {
        m_inner.progress(m_from + (m_to - m_from) * fraction, stage);
    }
    void log(std::string_view message) override { m_inner.log(message); }

private:
    JobEvents &m_inner;
    double m_from;
    double m_to;
};

} // namespace idgen
