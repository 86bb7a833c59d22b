#include "ids/IdText.h"

#include "text/Tokenizer.h"

namespace idgen {
namespace {

bool isWordByte(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

} // namespace

std::string normalizeIdText(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    bool separator = false;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (!isWordByte(c)) {
            separator = !out.empty();
            continue;
        }
        if (separator)
            out.push_back(' ');
        separator = false;
        out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : ch);
    }
    return out;
}

NormalizedId normalizeIdFromText(const Tokenizer &tokenizer, std::string_view text)
{
    NormalizedId id;
    id.text = normalizeIdText(text);
    if (!id.text.empty())
        id.tokens = tokenizer.encode(id.text, false);
    return id;
}

NormalizedId normalizeIdFromTokens(const Tokenizer &tokenizer, std::span<const int> tokens)
{
    // SentencePiece decodes unk as " \u2047 ", which would count as a word here; the published code
    // decodes with skip_special_tokens, so unk (like pad and eos) leaves no trace.
    const int unk = tokenizer.specialIds().unk;
    std::vector<int> known;
    known.reserve(tokens.size());
    for (const int token : tokens) {
        if (token != unk)
            known.push_back(token);
    }
    return normalizeIdFromText(tokenizer, tokenizer.decode(known));
}

} // namespace idgen
