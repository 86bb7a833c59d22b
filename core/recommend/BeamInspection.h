#pragma once

#include "recommend/BeamTree.h"
#include "recommend/UserDecoding.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace idgen {

class Database;
class RecommenderCache;

// Everything the beam inspector shows about one decoding, whether it was decoded just now or read
// back from decode_traces: the prompt, the tree, the ranked items with titles, and the test item
// (the true next item) with its ID and where it landed.
struct BeamInspection {
    std::int64_t snapshot = 0;
    std::string dataset;
    std::string userRawId;   // empty for a history written by hand
    std::string prompt;
    std::string checkpoint;
    int beams = 0;
    std::string targetRawId; // empty when there is no test item
    std::string targetIdText;
    std::string targetTitle;
    std::optional<int> targetRank;
    std::vector<RankedItem> ranked;
    BeamTree tree;
    std::optional<std::int64_t> traceId; // the stored trace shown, or the one just stored
    double seconds = 0.0;                // decoding time (0 for a stored trace)
};

// Decodes with the trace on (whatever request.trace says); a cache keeps the model and the
// snapshot loaded for the next decoding (decodeUser).
BeamInspection inspectDecoding(const Database &db, UserDecodeRequest request, RecommenderCache *cache = nullptr);
// A stored trace; throws an Error naming the trace when it or its snapshot is gone.
BeamInspection inspectStoredTrace(const Database &db, std::int64_t traceId);

} // namespace idgen
