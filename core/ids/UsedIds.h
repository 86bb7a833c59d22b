#pragma once

#include "ids/IdText.h"

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace idgen {

class Tokenizer;

// The IDs already given out in one namespace (the items', or the users'). An ID is free when
// neither its text nor its token sequence is taken: two texts can share a token sequence (a
// character the tokenizer maps to unk, case folding beyond ASCII), and the constrained decoder
// can only tell IDs apart by their tokens.
class UsedIds {
public:
    explicit UsedIds(const Tokenizer &tokenizer) : m_tokenizer(tokenizer) {}

    bool isFree(const NormalizedId &id) const;
    // Takes the ID when it is non-empty and free; false otherwise.
    bool take(const NormalizedId &id);
    // The deterministic fallback that ends every assignment: the first free ID among
    // base, "base 2", "base 3", ... (base normalised first; baseWord when base is empty).
    // Throws an Error when the suffixes do not give distinct token sequences (a tokenizer that
    // cannot write digits), so it always returns or fails, never loops.
    NormalizedId takeWithSuffix(std::string_view base, std::string_view baseWord);
    std::size_t size() const { return m_texts.size(); }

private:
    struct TokensHash {
        std::size_t operator()(const std::vector<int> &tokens) const noexcept;
    };

    const Tokenizer &m_tokenizer;
    std::unordered_set<std::string> m_texts;
    std::unordered_set<std::vector<int>, TokensHash> m_tokens;
    std::unordered_map<std::string, std::size_t> m_nextSuffix; // stem -> first suffix worth trying
};

} // namespace idgen
