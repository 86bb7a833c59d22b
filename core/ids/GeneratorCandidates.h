#pragma once

#include "ids/IdCandidateSource.h"

#include <memory>
#include <string>
#include <vector>

namespace idgen {

class T5Model;
class Tokenizer;

// IDGenRec's candidates: the ID generator reads an entity's text (an item's rendered text, or a
// user's item IDs) and writes `groups` IDs by diverse beam search, one beam per group, with the
// Hamming penalty and length window of the assigner's current settings (Algorithm 1). Batched:
// all entities of a request are one search on the model's device.
class GeneratorCandidateSource : public IdCandidateSource {
public:
    GeneratorCandidateSource(T5Model &generator, const Tokenizer &tokenizer, std::vector<std::string> texts,
                             int groups = 10, int maxSourceTokens = 256, std::size_t entitiesPerSearch = 64);

    std::vector<std::vector<std::vector<int>>> generate(std::span<const std::size_t> entities,
                                                         const CandidateSettings &settings) override;

private:
    T5Model &m_generator;
    const Tokenizer &m_tokenizer;
    std::vector<std::string> m_texts;
    int m_groups;
    int m_maxSourceTokens;
    std::size_t m_entitiesPerSearch;
};

} // namespace idgen
