#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace idgen {

class Tokenizer;

// The canonical text of a textual ID (method.md section 1): the published code keeps the
// `\b\w+\b` words of a decoded candidate joined by single spaces, so punctuation separates words
// ("l'oreal" becomes "l oreal"). ASCII letters are lower-cased (the tokenizers case-fold anyway,
// so "Rose" and "rose" would otherwise be two texts with one token sequence). Word characters are
// Python 3's `\w` on str: letters, digits and numbers of any script and "_"; punctuation, symbols,
// marks and spaces are not ("men’s" -> "men s", "l'oréal®" -> "l oréal", "a\u00a0b" -> "a b").
// Malformed UTF-8 bytes separate words.
std::string normalizeIdText(std::string_view text);

// An ID as stored: its normalised text and that text's token ids (no eos). The tokens are always
// the tokenizer's encoding of the text, so the recommender learns one spelling per ID.
struct NormalizedId {
    std::string text;
    std::vector<int> tokens;
    bool empty() const { return text.empty(); }
};

// Text -> normalised text -> token ids. An empty normalised text gives no tokens.
NormalizedId normalizeIdFromText(const Tokenizer &tokenizer, std::string_view text);
// Token ids (e.g. a generator's candidate) -> decoded text -> normalised -> re-encoded. Like the
// published code's skip_special_tokens, control ids and unk leave no text.
NormalizedId normalizeIdFromTokens(const Tokenizer &tokenizer, std::span<const int> tokens);

} // namespace idgen
