#pragma once

#include "ids/IdSnapshot.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace idgen {

class Tokenizer;

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
    // The same prompt as embedding-table rows for the ID phase's soft splice: a history item with
    // a soft ID (softRows(item) gives its first row and length, length 0 for none) contributes
    // rows `vocabRows + first ... + length - 1` of [embedding table; soft vectors]; everything
    // else, including items without a soft ID, is its token id (a row of the table itself).
    template <typename SoftRows>
    std::vector<std::int64_t> buildRows(std::size_t templateIndex, std::size_t user, std::span<const std::uint32_t> history,
                                        std::int64_t vocabRows, SoftRows softRows) const;
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
    template <typename Out, typename HistoryItem>
    void assemble(std::size_t templateIndex, std::size_t user, std::span<const std::uint32_t> history, Out &out,
                  HistoryItem historyItem) const;

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

template <typename Out, typename HistoryItem>
void PromptAssembler::assemble(std::size_t templateIndex, std::size_t user, std::span<const std::uint32_t> history,
                               Out &out, HistoryItem historyItem) const
{
    const auto append = [&out](const std::vector<int> &tokens) { out.insert(out.end(), tokens.begin(), tokens.end()); };
    for (const Part &part : m_templates.at(templateIndex)) {
        if (part.kind == Part::Literal) {
            append(part.tokens);
        } else if (part.kind == Part::User) {
            if (m_snapshot.users.empty()) {
                append(m_anyUser);
            } else {
                append(m_userWord);
                append(m_userTokens[user]);
            }
        } else {
            for (std::size_t i = 0; i < history.size(); ++i) {
                if (i > 0)
                    append(m_separator);
                historyItem(history[i], out);
            }
        }
    }
    const auto limit = static_cast<std::size_t>(m_maxPromptTokens - 1);
    if (out.size() > limit)
        out.resize(limit);
    out.push_back(m_eos);
}

template <typename SoftRows>
std::vector<std::int64_t> PromptAssembler::buildRows(std::size_t templateIndex, std::size_t user,
                                                     std::span<const std::uint32_t> history, std::int64_t vocabRows,
                                                     SoftRows softRows) const
{
    std::vector<std::int64_t> out;
    assemble(templateIndex, user, history, out, [&](std::uint32_t item, std::vector<std::int64_t> &rows) {
        const auto [first, length] = softRows(item);
        if (length == 0) {
            rows.insert(rows.end(), m_itemTokens[item].begin(), m_itemTokens[item].end());
            return;
        }
        for (std::int64_t j = 0; j < length; ++j)
            rows.push_back(vocabRows + first + j);
    });
    return out;
}

} // namespace idgen
