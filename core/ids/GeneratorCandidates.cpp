#include "ids/GeneratorCandidates.h"

#include "decode/LogitsHooks.h"
#include "model/T5Model.h"
#include "model/TokenBatch.h"
#include "text/Tokenizer.h"
#include "util/Error.h"

namespace idgen {

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

    std::vector<std::vector<std::vector<int>>> out;
    out.reserve(entities.size());
    for (std::size_t begin = 0; begin < entities.size(); begin += m_entitiesPerSearch) {
        const std::size_t end = std::min(entities.size(), begin + m_entitiesPerSearch);
        std::vector<std::vector<int>> sources;
        for (std::size_t i = begin; i < end; ++i) {
            if (entities[i] >= m_texts.size())
                throw Error("ID generator: entity " + std::to_string(entities[i]) + " has no text");
            sources.push_back(encodeSource(m_tokenizer, m_texts[entities[i]], m_maxSourceTokens));
        }
        const auto [ids, mask] = padTokens<int>(sources, m_generator.config().padTokenId, m_generator.device());
        for (auto &result : search.run(ids, mask)) {
            std::vector<std::vector<int>> candidates;
            for (const auto &h : result.hypotheses)
                candidates.emplace_back(h.tokens.begin(), h.tokens.end());
            out.push_back(std::move(candidates));
        }
    }
    return out;
}

} // namespace idgen
