#include "ids/UsedIds.h"

#include "text/Tokenizer.h"
#include "util/Error.h"

namespace idgen {

std::size_t UsedIds::TokensHash::operator()(const std::vector<int> &tokens) const noexcept
{
    // FNV-1a over the ids: short sequences, no need for anything stronger.
    std::size_t hash = 1469598103934665603ULL;
    for (const int token : tokens) {
        hash ^= static_cast<std::size_t>(static_cast<unsigned>(token));
        hash *= 1099511628211ULL;
    }
    return hash;
}

bool UsedIds::isFree(const NormalizedId &id) const
{
    return !id.empty() && !id.tokens.empty() && !m_texts.contains(id.text) && !m_tokens.contains(id.tokens);
}

bool UsedIds::take(const NormalizedId &id)
{
    if (!isFree(id))
        return false;
    m_texts.insert(id.text);
    m_tokens.insert(id.tokens);
    return true;
}

NormalizedId UsedIds::takeWithSuffix(std::string_view base, std::string_view baseWord)
{
    std::string stem = normalizeIdText(base);
    if (stem.empty())
        stem = normalizeIdText(baseWord);
    if (stem.empty())
        throw Error("the ID fallback needs a non-empty base word");
    // Suffixes below the remembered one were all taken when last tried, and taken IDs stay taken,
    // so starting there still finds the first free one (and keeps many equal stems linear).
    std::size_t &next = m_nextSuffix[stem];
    if (next == 0) {
        next = 2;
        NormalizedId id = normalizeIdFromText(m_tokenizer, stem);
        if (take(id))
            return id;
    }
    // With distinct token sequences per suffix, at most size() of them can be taken, so one of
    // the next size() + 1 suffixes is free; running past that means they are not distinct.
    const std::size_t limit = next + size() + 1;
    for (; next <= limit; ++next) {
        NormalizedId id = normalizeIdFromText(m_tokenizer, stem + " " + std::to_string(next));
        if (take(id)) {
            ++next;
            return id;
        }
    }
    throw Error("cannot make '" + stem + "' unique with a number suffix: the tokenizer does not tell the suffixes "
                "apart (does its vocabulary lack digits?)");
}

} // namespace idgen
