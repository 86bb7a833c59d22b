#include "cli/CtrlCStop.h"

#include <atomic>
#include <csignal>

namespace idgen::cli {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void onInterrupt(int signal)
{
    if (g_stop.exchange(true)) {
        std::signal(signal, SIG_DFL);
        std::raise(signal);
    }
}

} // namespace

CtrlCStop::CtrlCStop()
{
    g_stop = false;
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
}

CtrlCStop::~CtrlCStop()
{
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

StopToken CtrlCStop::token() const
{
    return StopToken(&g_stop);
}

} // namespace idgen::cli
