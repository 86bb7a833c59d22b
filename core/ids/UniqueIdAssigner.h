#pragma once

#include "ids/IdCandidateSource.h"
#include "ids/IdSnapshot.h"
#include "jobs/JobEvents.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>

namespace idgen {

class Tokenizer;

// Settings of IDGenRec's unique-ID assignment (method.md section 1, the paper's Algorithm 1).
// The defaults are the published ones (G = 10 groups is the source's business), plus the bound
// and fallback that the published loop lacks.
struct UniqueIdOptions {
    std::size_t batchSize = 256;   // entities asked for candidates at once
    double initialPenalty = 1.0;   // Hamming diversity penalty of the first try
    double penaltyStep = 1.0;      // added after a try where every candidate collided
    double maxPenalty = 10.0;      // on reaching it: penalty back to initial, longer IDs
    int initialMinLength = 1;      // tokens
    int lengthSpan = 10;           // maxLength = minLength + lengthSpan
    int lengthStep = 10;           // minLength += lengthStep on each length escalation
    int maxLengthEscalations = 2;  // then the deterministic fallback; the published code has no bound

    nlohmann::json toJson() const;
    static UniqueIdOptions fromJson(const nlohmann::json &json); // missing keys keep defaults
    void validate() const; // throws an Error naming the bad option
    CandidateSettings initialSettings() const;
    // The settings after one more all-collided try; lengthEscalated tells whether the length rose.
    // "Reaches" allows for rounding, so 0.1-steps to 1.0 escalate (the published code compares
    // a float sum of 0.1s with == 1 and never raises the length).
    CandidateSettings escalate(const CandidateSettings &settings, bool &lengthEscalated) const;
};

// Algorithm 1, batched. Entities 0..n-1 are processed in that fixed order, `batchSize` at a
// time: the source gives each entity of the batch its candidates (token ids, best first); each
// candidate is normalised (decoded, IdText.h's normalizeIdText, re-encoded) and, in entity order,
// each entity takes its first candidate that is non-empty and whose text and token sequence are
// both unused. Entities left without one are asked again, together, with escalated settings
// (penalty += step; at maxPenalty: penalty = initial, minLength += lengthStep), up to
// maxLengthEscalations length escalations; then, or at once when the source does not escalate,
// each takes the fallback UsedIds::takeWithSuffix(best non-empty candidate, baseWord): "best 2",
// "best 3", ... or "item", "item 2", ... So assignment always terminates.
//
// The only difference from the published per-item loop: an entity that collided is asked again
// after the rest of its batch has been assigned, so a later entity of the same batch may take a
// candidate that the escalated try would have produced for the earlier one. The order is still
// fixed and the result deterministic for a deterministic source; batchSize 1 is the published loop.
class UniqueIdAssigner {
public:
    UniqueIdAssigner(const Tokenizer &tokenizer, UniqueIdOptions options = {});

    // Assigns IDs to entities 0..count-1. baseWord names the kind for the fallback ("item",
    // "user"); order is recorded in the stats ("item index"). Progress goes to events as the
    // fraction of entities done; stop is checked before every request to the source (throws
    // idgen::Cancelled). Throws an Error when the source returns the wrong number of lists.
    IdTable assign(IdCandidateSource &source, std::size_t count, const std::string &baseWord, const std::string &order,
                   JobEvents &events, StopToken stop = {}) const;

    const UniqueIdOptions &options() const { return m_options; }

private:
    const Tokenizer &m_tokenizer;
    UniqueIdOptions m_options;
};

} // namespace idgen
