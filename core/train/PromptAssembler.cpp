#include "train/PromptAssembler.h"

#include "data/Prompts.h"
#include "ids/IdSnapshot.h"
#include "text/Tokenizer.h"
#include "util/Error.h"

#include <algorithm>

namespace idgen {
namespace {

std::vector<std::string> words(std::string_view text)
{
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t end = std::min(text.find(' ', at), text.size());
        if (end > at)
            out.emplace_back(text.substr(at, end - at));
        at = end + 1;
    }
    return out;
}

} // namespace

PromptAssembler::PromptAssembler(const Tokenizer &tokenizer, const IdSnapshot &snapshot, int maxPromptTokens)
    : m_tokenizer(tokenizer)
    , m_snapshot(snapshot)
    , m_maxPromptTokens(maxPromptTokens)
    , m_separator(tokenizer.encode(std::string(PromptTemplates::kHistorySeparator), false))
    , m_userWord(tokenizer.encode("user", false))
    , m_anyUser(tokenizer.encode("a user", false))
    , m_eos(tokenizer.specialIds().eos)
{
    if (maxPromptTokens < 2)
        throw Error("prompts need room for at least 2 tokens");
    for (const auto &text : snapshot.items.texts)
        m_itemTokens.push_back(tokenizer.encode(text, false));
    for (const auto &text : snapshot.users.texts)
        m_userTokens.push_back(tokenizer.encode(text, false));
    for (std::size_t t = 0; t < PromptTemplates::count(); ++t) {
        std::vector<Part> parts;
        std::string literal;
        const auto flush = [&] {
            if (!literal.empty())
                parts.push_back({Part::Literal, tokenizer.encode(literal, false)});
            literal.clear();
        };
        for (const auto &word : words(PromptTemplates::text(t))) {
            if (word == "{user}" || word == "{history}") {
                flush();
                parts.push_back({word == "{user}" ? Part::User : Part::History, {}});
            } else {
                literal += (literal.empty() ? "" : " ") + word;
            }
        }
        flush();
        m_templates.push_back(std::move(parts));
    }
}

std::string PromptAssembler::render(std::size_t templateIndex, std::size_t user,
                                    std::span<const std::uint32_t> history) const
{
    std::vector<std::string> ids;
    ids.reserve(history.size());
    for (const std::uint32_t item : history)
        ids.push_back(m_snapshot.items.texts[item]);
    const std::string userId = m_snapshot.users.empty() ? std::string() : m_snapshot.users.texts[user];
    return PromptTemplates::render(templateIndex, userId, ids);
}

std::vector<int> PromptAssembler::build(std::size_t templateIndex, std::size_t user,
                                        std::span<const std::uint32_t> history) const
{
    if (m_fallback)
        return encodeSource(m_tokenizer, render(templateIndex, user, history), m_maxPromptTokens);
    std::vector<int> out;
    out.reserve(128);
    assemble(templateIndex, user, history, out, [this](std::uint32_t item, std::vector<int> &tokens) {
        tokens.insert(tokens.end(), m_itemTokens[item].begin(), m_itemTokens[item].end());
    });
    return out;
}

bool PromptAssembler::verify(std::span<const Case> cases)
{
    for (const Case &c : cases) {
        if (m_fallback)
            break;
        const std::vector<int> assembled = build(c.templateIndex, c.user, c.history);
        if (assembled != encodeSource(m_tokenizer, render(c.templateIndex, c.user, c.history), m_maxPromptTokens))
            m_fallback = true;
    }
    return !m_fallback;
}

} // namespace idgen
