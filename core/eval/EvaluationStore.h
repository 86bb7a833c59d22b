#pragma once

#include "eval/FullRankingEvaluator.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace idgen {

class Database;

// A stored evaluation (table evaluations), without its per-user ranks.
struct EvaluationRecord {
    std::int64_t id = 0;
    std::int64_t snapshot = 0;
    std::string checkpoint;
    std::string split;
    int beams = 0;
    std::int64_t users = 0;
    nlohmann::json metrics;
    double seconds = 0.0;
    std::string device;
    std::string createdAt;

    nlohmann::json toJson() const;
};

// Keeps an evaluation in the project file; returns its id.
std::int64_t storeEvaluation(const Database &db, const EvaluationRequest &request, const EvaluationResult &result);

// Stored evaluations, oldest first; of one snapshot when snapshot > 0.
std::vector<EvaluationRecord> listEvaluations(const Database &db, std::int64_t snapshot = 0);

} // namespace idgen
