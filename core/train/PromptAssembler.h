#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace idgen {

class Tokenizer;
struct IdSnapshot;

// Recommender prompts as token ids, assembled from pieces encoded once per snapshot (each
// template's literal words, "user", " ; ", and every item's and user's ID text) instead of
// encoding every rendered prompt at every step. SentencePiece splits on whitespace before
// segmenting, and every placeholder of the templates stands between spaces, so the assembly
// equals encodeSource(render(...)); verify() checks that on real prompts and, should a tokenizer
// normalise across word boundaries, switches to encoding the rendered text (slower, same ids).
class PromptAssembler {
public:
    PromptAssembler(const Tokenizer &tokenizer, const IdSnapshot &snapshot, int maxPromptTokens);

    // Template `index` (PromptTemplates) for a user (dataset index) and history items, eos-ended.
    std::vector<int> build(std::size_t templateIndex, std::size_t user, std::span<const std::uint32_t> history) const;
    // The prompt as text (what build() encodes).
    std::string render(std::size_t templateIndex, std::size_t user, std::span<const std::uint32_t> history) const;

    // Compares build() with encoding render() on these cases; false (and from then on encoding
    // the text) at the first difference.
    struct Case {
        std::size_t templateIndex;
        std::size_t user;
        std::span<const std::uint32_t> history;
    };
    bool verify(std::span<const Case> cases);
    bool assembling() const { return !m_fallback; }

private:
    struct Part {
        enum Kind { Literal, User, History } kind = Literal;
        std::vector<int> tokens; // Literal only
    };

    const Tokenizer &m_tokenizer;
    const IdSnapshot &m_snapshot;
    int m_maxPromptTokens;
    std::vector<std::vector<Part>> m_templates;
    std::vector<int> m_separator; // ";"
    std::vector<int> m_userWord;  // "user"
    std::vector<int> m_anyUser;   // "a user", when the snapshot has no user IDs
    // ID texts encoded as prompt text: not the snapshot's stored tokens, which some schemes
    // write differently (numbers digit by digit) for the decoder to generate.
    std::vector<std::vector<int>> m_itemTokens;
    std::vector<std::vector<int>> m_userTokens;
    int m_eos = 1;
    bool m_fallback = false;
};

} // namespace idgen
