#pragma once

#include "decode/BeamSearch.h"
#include "ids/IdCandidateSource.h"

#include <memory>
#include <string>
#include <vector>

namespace idgen {

class ProcessGroupContext;
class T5Model;
class Tokenizer;

// IDGenRec's candidates: the ID generator reads an entity's text (an item's rendered text, or a
// user's item IDs) and writes `groups` IDs by diverse beam search, one beam per group, with the
// Hamming penalty and length window of the assigner's current settings (Algorithm 1). Batched:
// all entities of a request are one search on the model's device.
//
// The search is the published code's generate(num_beams=G, num_beam_groups=G, diversity_penalty,
// num_return_sequences=G, min_length, max_length): the settings' lengths are read as Hugging
// Face's, which count the decoder start token, so (1, 11) gives IDs of 0 to 10 tokens, and a
// candidate at the cap ends there without eos. Ids past the tokenizer's end (a generator whose
// embedding table is larger) are never written.
class GeneratorCandidateSource : public IdCandidateSource {
public:
    GeneratorCandidateSource(T5Model &generator, const Tokenizer &tokenizer, std::vector<std::string> texts,
                             int groups = 10, int maxSourceTokens = 256, std::size_t entitiesPerSearch = 64);

    std::vector<std::vector<std::vector<int>>> generate(std::span<const std::size_t> entities,
                                                         const CandidateSettings &settings) override;

    // The search options a request starts from (default: Hugging Face's rules); beams, groups,
    // penalty, lengths and the return count are set per request. E.g. DiverseScores::LogProb
    // ranks candidates by the model's log-probability instead of the penalised score.
    void setSearchOptions(const BeamSearchOptions &base) { m_searchBase = base; }

    // Algorithm 1 split across the ranks of a data-parallel group (train/distributed/): a request
    // is cut into the searches of `entitiesPerSearch` entities that one process would run, rank r
    // runs every r-th of them, and the candidates are gathered, so every rank returns what one
    // process returns (the same searches, batch mates and all) and the assigner's de-duplication
    // runs identically on every rank. A request of one search is rank 0's alone.
    void setGroup(ProcessGroupContext *group) { m_group = group; }

private:
    T5Model &m_generator;
    const Tokenizer &m_tokenizer;
    std::vector<std::string> m_texts;
    int m_groups;
    int m_maxSourceTokens;
    std::size_t m_entitiesPerSearch;
    BeamSearchOptions m_searchBase;
    ProcessGroupContext *m_group = nullptr;
};

} // namespace idgen
