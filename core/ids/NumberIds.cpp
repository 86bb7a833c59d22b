#include "ids/NumberIds.h"

#include "text/Tokenizer.h"
#include "util/Error.h"

#include <chrono>

namespace idgen {
namespace {

IdTable numberedTable(const std::vector<std::uint64_t> &numbers, const Tokenizer &tokenizer, const std::string &order)
{
    const auto started = std::chrono::steady_clock::now();
    const DigitTokens digits(tokenizer);
    IdTable table;
    table.texts.reserve(numbers.size());
    table.tokens.reserve(numbers.size());
    for (const std::uint64_t number : numbers)
        table.push(std::to_string(number), digits.tokens(number));
    table.computeShapeStats();
    table.stats.order = order;
    table.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return table;
}

} // namespace

DigitTokens::DigitTokens(const Tokenizer &tokenizer)
{
    const int unk = tokenizer.specialIds().unk;
    std::string missing;
    for (int d = 0; d < 10; ++d) {
        const std::string piece(1, static_cast<char>('0' + d));
        m_digit[static_cast<std::size_t>(d)] = tokenizer.pieceToId(piece);
        if (m_digit[static_cast<std::size_t>(d)] == unk)
            missing += (missing.empty() ? "" : ", ") + piece;
    }
    if (!missing.empty())
        throw Error("numeric IDs are written one token per digit, but the tokenizer's vocabulary has no piece for "
                    "the digit(s) " + missing + " (train the tokenizer with --coverage 1.0, or on texts with digits)");
}

std::vector<int> DigitTokens::tokens(std::uint64_t number) const
{
    const std::string text = std::to_string(number);
    std::vector<int> out;
    out.reserve(text.size());
    for (const char c : text)
        out.push_back(m_digit[static_cast<std::size_t>(c - '0')]);
    return out;
}

std::vector<std::uint64_t> itemNumbersByFirstAppearance(const Dataset &dataset)
{
    std::vector<std::uint64_t> numbers(dataset.itemCount(), 0);
    std::uint64_t next = 1;
    for (const std::uint32_t item : dataset.sequenceItems) {
        if (numbers[item] == 0)
            numbers[item] = next++;
    }
    for (auto &number : numbers) {
        if (number == 0)
            number = next++;
    }
    return numbers;
}

IdTable sequentialItemIds(const Dataset &dataset, const Tokenizer &tokenizer)
{
    return numberedTable(itemNumbersByFirstAppearance(dataset), tokenizer, "first appearance in user sequences");
}

IdTable numberedUserIds(const Dataset &dataset, const Tokenizer &tokenizer)
{
    std::vector<std::uint64_t> numbers(dataset.userCount());
    for (std::size_t user = 0; user < numbers.size(); ++user)
        numbers[user] = user + 1;
    return numberedTable(numbers, tokenizer, "user index");
}

} // namespace idgen
