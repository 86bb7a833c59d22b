#include "data/formats/ImportContext.h"

#include "util/Error.h"
#include "util/TextReader.h"

namespace idgen {

void ImportContext::beginStage(std::string stage, double from, double to)
{
    m_stage = std::move(stage);
    m_from = from;
    m_to = to;
    m_lastReport = {};
    report(0.0);
}

bool ImportContext::due()
{
    // Looking at the clock (or the file offset) on every line would cost more than parsing.
    return (m_calls++ & 1023) == 0;
}

void ImportContext::advance(double stageFraction)
{
    if (due() || stageFraction >= 1.0)
        report(stageFraction);
}

void ImportContext::advance(const TextReader &reader)
{
    if (due())
        report(reader.progress());
}

void ImportContext::report(double stageFraction)
{
    if (m_stop.stopRequested())
        throw Cancelled();
    const auto now = std::chrono::steady_clock::now();
    if (now - m_lastReport < std::chrono::milliseconds(50) && stageFraction < 1.0)
        return;
    m_lastReport = now;
    m_events.progress(m_from + (m_to - m_from) * stageFraction, m_stage);
}

} // namespace idgen
