#pragma once

#include <cstdint>
#include <vector>

namespace idgen {

// A finished sequence of a search: its tokens (eos not included), the sum of its tokens'
// log-probabilities (eos included when it ended with eos, not when it was cut at the maximum
// length) and its ranking score, the sum normalised by length. In a diverse search that keeps
// Hugging Face's scores, the sum also carries the Hamming penalties its choices paid.
struct Hypothesis {
    std::vector<std::int32_t> tokens;
    double logProb = 0.0;
    double score = 0.0;
    std::int32_t item = -1; // the item whose ID this is (trie searches); -1 otherwise
    int group = 0;          // diverse beam search: the group that found it
};

// score = logProb / length^lengthPenalty, length counting eos when there is one (Hugging Face's
// generated_len): 1.0 is the usual average log-probability per token, 0 the plain sum.
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
    // Full, and the best cumulative score a beam reached this step, normalised at the current
    // length (eos counted), does not beat the worst kept one: Hugging Face's early_stopping=False
    // heuristic (BeamHypotheses.is_done), which it feeds with the step's best candidate, eos
    // continuations included.
    bool isDone(double bestLogProb, std::size_t currentLength, double lengthPenalty) const;
    const std::vector<Hypothesis> &items() const { return m_items; }
    std::vector<Hypothesis> take() { return std::move(m_items); }

private:
    std::size_t m_capacity;
    std::vector<Hypothesis> m_items;
};

// Best first, at most `count`. Equal scores come latest-found first, as Hugging Face's finalize
// pops them from a stable ascending sort (groups in order, each group's hypotheses as kept).
std::vector<Hypothesis> bestHypotheses(std::vector<Hypothesis> all, std::size_t count);

} // namespace idgen
