#include "ids/IdText.h"

#include "text/Tokenizer.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace idgen {
namespace {

struct CodeRange {
    char32_t first;
    char32_t last;
};

// Python 3's `\w` above ASCII (make_word_ranges.py writes the table from Python's own `re`).
constexpr CodeRange kWordRanges[] = {
#include "ids/UnicodeWordRanges.inc"
};

bool isAsciiWord(char32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool isWordCodePoint(char32_t c)
{
    if (c < 0x80)
        return isAsciiWord(c);
    const auto after = std::upper_bound(std::begin(kWordRanges), std::end(kWordRanges), c,
                                        [](char32_t value, const CodeRange &r) { return value < r.first; });
    return after != std::begin(kWordRanges) && c <= std::prev(after)->last;
}

// The code point of the UTF-8 sequence at text[at] and its length in bytes. A malformed
// sequence is one byte that is no word character (Python would not have decoded it to one).
std::pair<char32_t, std::size_t> decodeUtf8(std::string_view text, std::size_t at)
{
    constexpr char32_t kInvalid = 0xFFFD;
    const auto lead = static_cast<unsigned char>(text[at]);
    if (lead < 0x80)
        return {lead, 1};
    const std::size_t length = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 && lead < 0xE0 ? 2 : 0;
    if (length == 0 || at + length > text.size())
        return {kInvalid, 1};
    char32_t code = lead & (0x7F >> length);
    for (std::size_t i = 1; i < length; ++i) {
        const auto next = static_cast<unsigned char>(text[at + i]);
        if ((next & 0xC0) != 0x80)
            return {kInvalid, 1};
        code = (code << 6) | (next & 0x3F);
    }
    constexpr char32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kSmallest[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
        return {kInvalid, 1};
    return {code, length};
}

} // namespace

std::string normalizeIdText(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    bool separator = false;
    for (std::size_t at = 0; at < text.size();) {
        const auto [code, length] = decodeUtf8(text, at);
        const std::string_view bytes = text.substr(at, length);
        at += length;
        if (!isWordCodePoint(code)) {
            separator = !out.empty();
            continue;
        }
        if (separator)
            out.push_back(' ');
        separator = false;
        if (code >= 'A' && code <= 'Z')
            out.push_back(static_cast<char>(code - 'A' + 'a'));
        else
            out.append(bytes);
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
