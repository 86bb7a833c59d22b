#pragma once

#include "jobs/JobEvents.h"

#include <nlohmann/json.hpp>

#include <string>

namespace idgen::cli {

// Prints job events: a progress bar on a terminal, JSON lines with --json, nothing on a pipe.
class CliEvents final : public JobEvents {
public:
    explicit CliEvents(bool json);
    ~CliEvents() override;
    void progress(double fraction, std::string_view stage) override;
    void log(std::string_view message) override;
    // JSON lines only; on a terminal the command prints its own summary lines.
    void metric(const MetricPoint &point) override;
    // Ends a progress bar line so later output starts on a fresh line.
    void finish();

private:
    bool m_json;
    bool m_terminal;
    bool m_barShown = false;
};

// `--nproc N` of every data-parallel command (train, resume, baseline, ids assign): true when this
// process launched N ranks of its own command (train/distributed/LocalLauncher.h), which did the
// work; a failed rank's exit status ends this process too (CLI::RuntimeError; each rank printed
// its own error). False: this process does the work (N == 1, or it is a rank: WORLD_SIZE is set).
bool launchedDataParallelRanks(int nproc);

// A number with a fixed count of decimals, for the commands' plain-text reports.
std::string fixed(double value, int decimals);

// Prints a JSON value as one line on stdout.
void printJson(const nlohmann::json &value);

// Prints a list command's rows as one JSON array line, each row through toJson.
template <typename Rows, typename ToJson>
void printJsonArray(const Rows &rows, ToJson toJson)
{
    nlohmann::json array = nlohmann::json::array();
    for (const auto &row : rows)
        array.push_back(toJson(row));
    printJson(array);
}

} // namespace idgen::cli
