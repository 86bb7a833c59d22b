#pragma once

#include <cstdint>
#include <vector>

namespace idgen {

// A finished sequence of a search: its tokens (eos not included), the sum of its tokens'
// log-probabilities (eos included) and its ranking score, the sum normalised by length.
struct Hypothesis {
    std::vector<std::int32_t> tokens;
    double logProb = 0.0;
    double score = 0.0;
    std::int32_t item = -1; // the item whose ID this is (trie searches); -1 otherwise
    int group = 0;          // diverse beam search: the group that found it
};

// score = logProb / length^lengthPenalty, length counting eos: 1.0 is the usual average
// log-probability per token, 0 the plain sum.
double normalisedScore(double logProb, std::size_t length, double lengthPenalty);

// The best `capacity` finished hypotheses of one beam (or beam group), as Hugging Face's
// BeamHypotheses keeps them.
class FinishedHypotheses {
public:
    explicit FinishedHypotheses(std::size_t capacity) : m_capacity(capacity) {}

    void add(Hypothesis hypothesis);
    std::size_t size() const { return m_items.size(); }
    bool full() const { return m_items.size() >= m_capacity; }
    double worstScore() const;
    // Nothing a live beam can still reach beats the worst kept one: its best cumulative
    // log-probability, normalised at the current length, is no better (HF's early_stopping=False).
    bool isDone(double bestLiveLogProb, std::size_t currentLength, double lengthPenalty) const;
    const std::vector<Hypothesis> &items() const { return m_items; }
    std::vector<Hypothesis> take() { return std::move(m_items); }

private:
    std::size_t m_capacity;
    std::vector<Hypothesis> m_items;
};

// Best first (ties keep the order they were found in), at most `count`.
std::vector<Hypothesis> bestHypotheses(std::vector<Hypothesis> all, std::size_t count);

} // namespace idgen
