#pragma once

// What both demo generators share: portable random numbers, and the draft each one hands to the
// assembler in DemoDataset.cpp, which numbers items and users and adds timestamps the same way
// for every version.

#include "data/Dataset.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace idgen::demo {

// splitmix64 with integer-only helpers. std:: distributions are avoided on purpose: their output
// differs between standard libraries, and the demo must be the same dataset everywhere.
class DemoRandom {
public:
    explicit DemoRandom(std::uint64_t seed) : m_state(seed) {}

    std::uint64_t next()
    {
        std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    // Uniform in [0, bound), bound > 0; rejection keeps it unbiased.
    std::uint64_t below(std::uint64_t bound)
    {
        const std::uint64_t threshold = (0 - bound) % bound;
        for (;;) {
            const std::uint64_t r = next();
            if (r >= threshold)
                return r % bound;
        }
    }
    template <class T> const T &pick(const std::vector<T> &values) { return values[below(values.size())]; }

private:
    std::uint64_t m_state;
};

// Independent streams per stage, so more users never change the catalog.
inline DemoRandom stream(std::uint64_t seed, std::uint64_t stage)
{
    DemoRandom mixer(seed ^ (stage * 0xd1b54a32d192ed03ULL));
    return DemoRandom(mixer.next());
}

// Integer weights with cumulative sums: picks are exact and portable.
class WeightedPicker {
public:
    void add(std::uint64_t weight) { m_cumulative.push_back((m_cumulative.empty() ? 0 : m_cumulative.back()) + weight); }
    std::size_t pick(DemoRandom &random) const
    {
        const std::uint64_t r = random.below(m_cumulative.back());
        return static_cast<std::size_t>(std::upper_bound(m_cumulative.begin(), m_cumulative.end(), r) - m_cumulative.begin());
    }

private:
    std::vector<std::uint64_t> m_cumulative;
};

// Zipf-like popularity in a random order: the item of rank r gets weight 1000/(r+1) + floor, a
// head of bestsellers and a long tail that still sells.
inline WeightedPicker zipfPicker(std::size_t count, std::uint64_t floor, DemoRandom &random)
{
    std::vector<std::uint64_t> rank(count);
    for (std::size_t i = 0; i < count; ++i)
        rank[i] = i;
    for (std::size_t i = count; i > 1; --i)
        std::swap(rank[i - 1], rank[random.below(i)]);
    WeightedPicker picker;
    for (const std::uint64_t r : rank)
        picker.add(1000 / (r + 1) + floor);
    return picker;
}

// Two different sentences of the list (one when it holds only one), each after a space.
inline void appendTwoSentences(std::string &text, const std::vector<std::string_view> &sentences, DemoRandom &random)
{
    const std::size_t first = random.below(sentences.size());
    text += " " + std::string(sentences[first]);
    if (sentences.size() > 1) {
        std::size_t second = random.below(sentences.size() - 1);
        second += second >= first ? 1 : 0;
        text += " " + std::string(sentences[second]);
    }
}

// Prices lean cheap (the smaller of two draws) and end like shop prices, in one of `cents`.
inline double shopPrice(int minPrice, int maxPrice, const std::vector<std::uint64_t> &cents, DemoRandom &random)
{
    const auto span = static_cast<std::uint64_t>(maxPrice - minPrice + 1);
    const std::uint64_t whole = static_cast<std::uint64_t>(minPrice) + std::min(random.below(span), random.below(span));
    return static_cast<double>(whole * 100 + random.pick(cents)) / 100.0;
}

constexpr std::uint32_t kNone = ~std::uint32_t(0);

// A generator's output before numbering: the catalog in the generator's own order and every
// user's items as indices into it. The assembler numbers items by first appearance, as an import
// of the same sequences would.
struct DemoDraft {
    std::vector<ItemFields> items;
    std::vector<std::vector<std::uint32_t>> sequences;
};

} // namespace idgen::demo
