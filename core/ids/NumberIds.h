#pragma once

#include "data/Dataset.h"
#include "ids/IdSnapshot.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace idgen {

class Tokenizer;

// P5-style numeric IDs (method.md section 5, RID/SID): the number's decimal digits, one token
// per digit, each the tokenizer's piece for that digit character. The text is the plain number
// ("123"); its tokens are deliberately not the tokenizer's own encoding of "123" (which would
// merge digits into pieces such as "▁12"), so every number has exactly as many tokens as digits.
class DigitTokens {
public:
    // Throws an Error naming the missing digits when the vocabulary has no piece for one.
    explicit DigitTokens(const Tokenizer &tokenizer);
    std::vector<int> tokens(std::uint64_t number) const;

private:
    std::array<int, 10> m_digit{};
};

// Items numbered 1..N in order of first appearance over the users' sequences (users in index
// order, each in time order); items that appear in no sequence follow in index order.
std::vector<std::uint64_t> itemNumbersByFirstAppearance(const Dataset &dataset);

// The sequential scheme's item IDs, numbered as above.
IdTable sequentialItemIds(const Dataset &dataset, const Tokenizer &tokenizer);
// Users 1..U in user index order, written like sequential item IDs (title, sequential and file
// schemes without a user file).
IdTable numberedUserIds(const Dataset &dataset, const Tokenizer &tokenizer);

} // namespace idgen
