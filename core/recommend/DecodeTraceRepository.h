#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace idgen {

class Database;

// A beam-search trace kept for inspection (table decode_traces): the prompt, the ranked items
// ([{rank, item, raw_id, id, score}]) and every step's beams and pruned tokens (traceJson()).
struct StoredTrace {
    std::int64_t id = 0;
    std::int64_t snapshot = 0;
    std::int64_t user = 0; // dataset index
    std::string checkpoint;
    int beams = 0;
    std::string createdAt;
    std::string prompt;
    nlohmann::json ranked = nlohmann::json::array();
    nlohmann::json trace = nlohmann::json::array();
};

class DecodeTraceRepository {
public:
    explicit DecodeTraceRepository(const Database &db) : m_db(db) {}

    std::int64_t save(const StoredTrace &trace); // id and createdAt are set here
    StoredTrace load(std::int64_t id) const;    // throws an Error naming the id when missing
    // Traces of a snapshot (of one user when user >= 0), newest first, without their steps.
    std::vector<StoredTrace> list(std::int64_t snapshot, std::int64_t user = -1) const;

private:
    const Database &m_db;
};

} // namespace idgen
