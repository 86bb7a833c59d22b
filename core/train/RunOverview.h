#pragma once

#include "jobs/JobEvents.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace idgen {

class Database;
struct RunRecord;

// One row of a runs table: a training run or baseline of a dataset, or a stand-alone evaluation
// of a checkpoint (`idgenrec evaluate`), with the config values worth comparing and its best and
// last validation and its test metrics ("hr@10" -> 0.31, ...). Read from the project file only,
// so runs trained headless from the CLI show up like the rest.
struct RunOverview {
    std::int64_t run = 0;        // 0 for a stand-alone evaluation
    std::int64_t evaluation = 0; // the evaluation's id for a stand-alone evaluation
    std::string kind;            // recommender, alternate, baseline, evaluation
    std::string name;            // the config's name, the baseline model, the checkpoint file
    std::string status;
    std::string device;
    std::string startedAt;
    std::optional<std::int64_t> snapshot;
    // Column name -> value: model, epochs, batch, lr, seed, rounds (empty where not applicable).
    std::vector<std::pair<std::string, std::string>> config;
    nlohmann::json bestValid = nlohmann::json::object(); // the best validation by HR@10
    nlohmann::json lastValid = nlohmann::json::object();
    nlohmann::json test = nlohmann::json::object();
    int bestRound = -1;
    int bestEpoch = -1;
    std::int64_t steps = 0; // training steps recorded
};

// The config columns every row has, in order.
const std::vector<std::string> &runConfigColumns();
// A run's values of those columns, read from its stored config (blank when it cannot be read).
std::vector<std::pair<std::string, std::string>> runConfigValues(const RunRecord &run);

// Every run of `dataset` (all datasets when empty), oldest first, then its stand-alone
// evaluations (those no run made).
std::vector<RunOverview> runOverviews(const Database &db, const std::string &dataset);

// A run's points of one metric, in training order (round, step, epoch); a point recorded again
// after a resume (same split, round, epoch and step) replaces the earlier one.
std::vector<MetricPoint> curvePoints(const Database &db, std::int64_t run, const std::string &name);

} // namespace idgen
