#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace idgen {

// The escalation state of IDGenRec's unique-ID assignment (method.md section 1, Algorithm 1):
// the Hamming diversity penalty of the group beam search and the allowed candidate length.
struct CandidateSettings {
    double diversityPenalty = 1.0;
    int minLength = 1;  // tokens, eos not counted
    int maxLength = 11; // minLength + 10 in the published code
};

// Produces ID candidates for entities (items or users, by dense index): token ids without eos,
// best first. The textual scheme runs the ID generator's diverse beam search; the title scheme
// cuts titles. Called with many entities at once so that a model can batch them.
class IdCandidateSource {
public:
    virtual ~IdCandidateSource() = default;
    // One list per requested entity, in the order asked; each list may be empty.
    virtual std::vector<std::vector<std::vector<int>>> generate(std::span<const std::size_t> entities,
                                                                 const CandidateSettings &settings) = 0;
    // False when the candidates do not depend on the settings (a title is a title): the assigner
    // then skips escalation and goes straight to its deterministic fallback.
    virtual bool escalates() const { return true; }
};

} // namespace idgen
