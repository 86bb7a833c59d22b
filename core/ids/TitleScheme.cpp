#include "ids/TitleScheme.h"

#include "data/ItemText.h"
#include "ids/IdText.h"
#include "text/Tokenizer.h"
#include "util/Error.h"

namespace idgen {
namespace {

// The normalised text has single spaces between words, so the n-th space ends the n-th word.
std::string firstWords(const std::string &normalized, int words)
{
    int seen = 0;
    for (std::size_t i = 0; i < normalized.size(); ++i) {
        if (normalized[i] == ' ' && ++seen == words)
            return normalized.substr(0, i);
    }
    return normalized;
}

} // namespace

std::string titleIdText(const ItemFields &fields, int words)
{
    if (words < 1)
        throw Error("title IDs need at least 1 word, not " + std::to_string(words));
    std::string source;
    if (fields.is_object()) {
        const auto title = fields.find("title");
        if (title != fields.end() && title->is_string())
            source = normalizeIdText(title->get<std::string>());
    }
    if (source.empty())
        source = normalizeIdText(renderItemText(fields));
    return firstWords(source, words);
}

TitleCandidateSource::TitleCandidateSource(const Dataset &dataset, const Tokenizer &tokenizer, int words)
    : m_dataset(dataset)
    , m_tokenizer(tokenizer)
    , m_words(words)
{
    if (words < 1)
        throw Error("title IDs need at least 1 word, not " + std::to_string(words));
}

std::vector<std::vector<std::vector<int>>> TitleCandidateSource::generate(std::span<const std::size_t> entities,
                                                                          const CandidateSettings &settings)
{
    (void)settings; // a title is a title
    std::vector<std::vector<std::vector<int>>> out(entities.size());
    for (std::size_t k = 0; k < entities.size(); ++k) {
        const std::string text = titleIdText(m_dataset.itemFields.at(entities[k]), m_words);
        out[k].push_back(text.empty() ? std::vector<int>() : m_tokenizer.encode(text, false));
    }
    return out;
}

IdTable titleItemIds(const Dataset &dataset, const Tokenizer &tokenizer, int words, const UniqueIdOptions &options,
                     JobEvents &events, StopToken stop)
{
    TitleCandidateSource source(dataset, tokenizer, words);
    return UniqueIdAssigner(tokenizer, options).assign(source, dataset.itemCount(), "item", "item index", events, stop);
}

} // namespace idgen
