#include "ids/GeneratorCandidates.h"

#include "decode/LogitsHooks.h"
#include "model/T5Model.h"
#include "model/TokenBatch.h"
#include "text/Tokenizer.h"
#include "train/distributed/ProcessGroupContext.h"
#include "util/Error.h"

#include <algorithm>

namespace idgen {
namespace {

using CandidateLists = std::vector<std::vector<int>>;

// Which rank runs search s of a request: every rank-th search, round robin.
int ownerOf(std::size_t search, int ranks)
{
    return static_cast<int>(search % static_cast<std::size_t>(ranks));
}

// Fills the entries of the searches other ranks ran with what they found, as one gather of
// integers per request: for each of a rank's searches in order, for each entity, the candidate
// count, then each candidate's length and tokens.
void gatherSearches(ProcessGroupContext &group, std::vector<CandidateLists> &out, std::size_t perSearch)
{
    const int ranks = group.worldSize();
    const std::size_t searches = (out.size() + perSearch - 1) / perSearch;
    std::vector<std::int64_t> mine;
    for (std::size_t s = 0; s < searches; ++s) {
        if (ownerOf(s, ranks) != group.rank())
            continue;
        for (std::size_t i = s * perSearch; i < std::min(out.size(), (s + 1) * perSearch); ++i) {
            mine.push_back(static_cast<std::int64_t>(out[i].size()));
            for (const auto &candidate : out[i]) {
                mine.push_back(static_cast<std::int64_t>(candidate.size()));
                mine.insert(mine.end(), candidate.begin(), candidate.end());
            }
        }
    }
    const auto all = group.allGather(mine, "gathering the ID candidates");
    for (int r = 0; r < ranks; ++r) {
        if (r == group.rank())
            continue;
        const std::vector<std::int64_t> &from = all[static_cast<std::size_t>(r)];
        std::size_t at = 0;
        const auto next = [&] {
            if (at >= from.size())
                throw Error("ID candidates from rank " + std::to_string(r) + " end early");
            return from[at++];
        };
        for (std::size_t s = 0; s < searches; ++s) {
            if (ownerOf(s, ranks) != r)
                continue;
            for (std::size_t i = s * perSearch; i < std::min(out.size(), (s + 1) * perSearch); ++i) {
                out[i].resize(static_cast<std::size_t>(next()));
                for (auto &candidate : out[i]) {
                    candidate.resize(static_cast<std::size_t>(next()));
                    for (int &token : candidate)
                        token = static_cast<int>(next());
                }
            }
        }
    }
}

} // namespace

GeneratorCandidateSource::GeneratorCandidateSource(T5Model &generator, const Tokenizer &tokenizer,
                                                   std::vector<std::string> texts, int groups, int maxSourceTokens,
                                                   std::size_t entitiesPerSearch)
    : m_generator(generator)
    , m_tokenizer(tokenizer)
    , m_texts(std::move(texts))
    , m_groups(groups)
    , m_maxSourceTokens(maxSourceTokens)
    , m_entitiesPerSearch(std::max<std::size_t>(entitiesPerSearch, 1))
{
    if (generator.config().vocabSize < tokenizer.vocabSize())
        throw Error("ID generator: the model's vocabulary (" + std::to_string(generator.config().vocabSize) +
                    ") is smaller than the tokenizer's (" + std::to_string(tokenizer.vocabSize()) + ")");
}

std::vector<std::vector<std::vector<int>>> GeneratorCandidateSource::generate(std::span<const std::size_t> entities,
                                                                               const CandidateSettings &settings)
{
    BeamSearchOptions options = m_searchBase;
    options.beams = m_groups;
    options.groups = m_groups;
    options.diversityPenalty = settings.diversityPenalty;
    // Hugging Face's min_length / max_length count the decoder start token; ours do not. Its
    // search always takes one step, so max_length 1 still writes a token.
    options.minLength = std::max(settings.minLength - 1, 0);
    options.maxLength = std::max(settings.maxLength - 1, std::max(options.minLength, 1));
    options.returnCount = m_groups;
    BeamSearch search(m_generator, options);
    search.addHook(std::make_shared<VocabularyLimit>(m_tokenizer.vocabSize()));

    const int ranks = m_group ? m_group->worldSize() : 1;
    const int rank = m_group ? m_group->rank() : 0;
    std::vector<CandidateLists> out(entities.size());
    const std::size_t searches = (entities.size() + m_entitiesPerSearch - 1) / m_entitiesPerSearch;
    for (std::size_t s = 0; s < searches; ++s) {
        if (ownerOf(s, ranks) != rank)
            continue;
        const std::size_t begin = s * m_entitiesPerSearch;
        const std::size_t end = std::min(entities.size(), begin + m_entitiesPerSearch);
        std::vector<std::vector<int>> sources;
        for (std::size_t i = begin; i < end; ++i) {
            if (entities[i] >= m_texts.size())
                throw Error("ID generator: entity " + std::to_string(entities[i]) + " has no text");
            sources.push_back(encodeSource(m_tokenizer, m_texts[entities[i]], m_maxSourceTokens));
        }
        const auto [ids, mask] = padTokens<int>(sources, m_generator.config().padTokenId, m_generator.device());
        std::size_t i = begin;
        for (auto &result : search.run(ids, mask)) {
            for (const auto &h : result.hypotheses)
                out[i].emplace_back(h.tokens.begin(), h.tokens.end());
            ++i;
        }
    }
    if (ranks > 1)
        gatherSearches(*m_group, out, m_entitiesPerSearch);
    return out;
}

} // namespace idgen
