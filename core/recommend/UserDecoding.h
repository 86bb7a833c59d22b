#pragma once

#include "data/Dataset.h"
#include "decode/BeamSearch.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace idgen {

class Database;
class RecommenderCache;

// `idgenrec decode` and the beam inspector: one user's test prompt (template 0 over the last 20
// items before the test item, written with a snapshot's IDs) through a recommender checkpoint,
// constrained to the snapshot's item IDs.
struct UserDecodeRequest {
    std::filesystem::path checkpoint;
    std::int64_t snapshot = 0;
    std::string userRawId;
    // A history written by hand (items' raw ids, oldest first) instead of a user's: the prompt
    // names no user and there is no test item. userRawId is ignored when this is not empty.
    std::vector<std::string> historyRawIds;
    // ID words every result must start with (encoded with the snapshot's tokenizer).
    std::string forcedPrefix;
    // false: no trie, so the model writes what it would write (up to the longest ID's length);
    // a written text that is no item's ID is listed with item -1.
    bool constrained = true;
    int beams = 10;
    int topK = 0; // 0: beams
    bool trace = false;
    bool storeTrace = false; // keep the trace in the project file (table decode_traces)
    std::string device = "cpu";
    std::size_t maxHistory = 20;
    int maxPromptTokens = 512;
};

struct RankedItem {
    int rank = 0; // 1-based
    std::int32_t item = 0; // -1: an unconstrained search wrote a text that is no item's ID
    std::string rawId;
    std::string idText;
    std::string title;
    double score = 0.0;
    double logProb = 0.0;
};

struct UserDecodeResult {
    std::string userRawId;
    std::string userIdText;
    std::string prompt;
    std::size_t promptTokens = 0;
    std::string targetRawId;       // the user's test item (empty for a history written by hand)
    std::optional<int> targetRank; // where it landed among the results, if it did
    std::vector<RankedItem> ranked;
    std::vector<TraceStep> trace;
    nlohmann::json traceJson;            // the trace with token pieces (traceJson()), in trace mode
    std::optional<std::int64_t> traceId; // when stored
    double seconds = 0.0;
};

// With a cache, the model and the snapshot's IDs, dataset, tokenizer and trie loaded by an
// earlier call are reused while they are unchanged (RecommenderCache.h).
UserDecodeResult decodeUser(const Database &db, const UserDecodeRequest &request, RecommenderCache *cache = nullptr);

// The item's "title" field, or empty.
std::string itemTitle(const ItemFields &fields);

// The trace as JSON, tokens with their pieces: [{"step", "chosen": [...], "pruned": [...]}].
nlohmann::json traceJson(const std::vector<TraceStep> &trace, const std::vector<std::string> &pieces);

} // namespace idgen
