#include "decode/Hypotheses.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace idgen {

double normalisedScore(double logProb, std::size_t length, double lengthPenalty)
{
    return logProb / std::pow(static_cast<double>(std::max<std::size_t>(length, 1)), lengthPenalty);
}

void FinishedHypotheses::add(Hypothesis hypothesis)
{
    if (m_capacity == 0)
        return;
    if (full()) {
        const auto worst = std::min_element(m_items.begin(), m_items.end(), [](const auto &a, const auto &b) {
            return a.score < b.score;
        });
        if (hypothesis.score <= worst->score)
            return;
        m_items.erase(worst);
    }
    m_items.push_back(std::move(hypothesis));
}

double FinishedHypotheses::worstScore() const
{
    double worst = std::numeric_limits<double>::infinity();
    for (const auto &h : m_items)
        worst = std::min(worst, h.score);
    return worst;
}

bool FinishedHypotheses::isDone(double bestLogProb, std::size_t currentLength, double lengthPenalty) const
{
    if (!full())
        return false;
    return worstScore() >= normalisedScore(bestLogProb, currentLength, lengthPenalty);
}

std::vector<Hypothesis> bestHypotheses(std::vector<Hypothesis> all, std::size_t count)
{
    std::reverse(all.begin(), all.end());
    std::stable_sort(all.begin(), all.end(), [](const auto &a, const auto &b) { return a.score > b.score; });
    if (all.size() > count)
        all.resize(count);
    return all;
}

} // namespace idgen
