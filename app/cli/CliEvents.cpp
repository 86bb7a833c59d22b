#include "cli/CliEvents.h"

#include "train/distributed/LocalLauncher.h"

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>

namespace idgen::cli {

CliEvents::CliEvents(bool json)
    : m_json(json)
    , m_terminal(isatty(STDERR_FILENO) != 0)
{
}

CliEvents::~CliEvents()
{
    finish();
}

void CliEvents::progress(double fraction, std::string_view stage)
{
    if (m_json) {
        printJson({{"event", "progress"}, {"fraction", fraction}, {"stage", stage}});
        return;
    }
    if (!m_terminal)
        return;
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(fraction * kWidth + 0.5);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(kWidth, '.');
    std::fprintf(stderr, "\r[%s] %3d%% %-32.32s", bar.c_str(), static_cast<int>(fraction * 100 + 0.5),
                 std::string(stage).c_str());
    std::fflush(stderr);
    m_barShown = true;
}

void CliEvents::log(std::string_view message)
{
    if (m_json) {
        printJson({{"event", "log"}, {"message", message}});
        return;
    }
    finish();
    std::cerr << message << '\n';
}

void CliEvents::metric(const MetricPoint &point)
{
    if (!m_json)
        return;
    printJson({{"event", "metric"}, {"run", point.run},     {"round", point.round}, {"epoch", point.epoch},
               {"step", point.step},  {"split", point.split}, {"name", point.name},   {"value", point.value}});
}

void CliEvents::finish()
{
    if (m_barShown) {
        std::fputc('\n', stderr);
        m_barShown = false;
    }
}

bool launchedDataParallelRanks(int nproc)
{
    // The launcher's own news (a rank failed) goes to stderr, apart from rank 0's JSON lines.
    struct StderrLog final : JobEvents {
        void log(std::string_view message) override { std::cerr << "idgenrec --nproc: " << message << "\n"; }
    } events;
    const std::optional<int> code = launchRanksIfAsked(nproc, events);
    if (code && *code != 0)
        throw CLI::RuntimeError(*code);
    return code.has_value();
}

std::string fixed(double value, int decimals)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

void printJson(const nlohmann::json &value)
{
    std::cout << value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
}

} // namespace idgen::cli
