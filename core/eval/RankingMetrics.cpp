#include "eval/RankingMetrics.h"

#include "util/Error.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace idgen {

RankingMetrics::RankingMetrics(std::vector<int> cutoffs)
    : m_cutoffs(std::move(cutoffs)), m_hits(m_cutoffs.size(), 0.0), m_gains(m_cutoffs.size(), 0.0)
{
    for (const int k : m_cutoffs)
        if (k < 1)
            throw Error("a metric cutoff must be positive, got " + std::to_string(k));
}

std::vector<int> RankingMetrics::cutoffsFor(int results)
{
    std::vector<int> cutoffs;
    for (const int k : {5, 10, 20})
        if (k <= results)
            cutoffs.push_back(k);
    if (cutoffs.empty() && results > 0)
        cutoffs.push_back(results);
    return cutoffs;
}

void RankingMetrics::add(std::optional<int> targetRank)
{
    ++m_users;
    if (!targetRank)
        return;
    const int rank = *targetRank;
    for (std::size_t c = 0; c < m_cutoffs.size(); ++c)
        if (rank >= 1 && rank <= m_cutoffs[c]) {
            m_hits[c] += 1.0;
            m_gains[c] += 1.0 / std::log2(static_cast<double>(rank) + 1.0);
        }
}

std::size_t RankingMetrics::indexOf(int k) const
{
    const auto it = std::find(m_cutoffs.begin(), m_cutoffs.end(), k);
    if (it == m_cutoffs.end())
        throw Error("metric cutoff " + std::to_string(k) + " was not computed");
    return static_cast<std::size_t>(it - m_cutoffs.begin());
}

double RankingMetrics::hitRate(int k) const
{
    return m_users ? m_hits[indexOf(k)] / static_cast<double>(m_users) : 0.0;
}

double RankingMetrics::ndcg(int k) const
{
    return m_users ? m_gains[indexOf(k)] / static_cast<double>(m_users) : 0.0;
}

nlohmann::json RankingMetrics::toJson() const
{
    nlohmann::json out = nlohmann::json::object();
    for (const int k : m_cutoffs) {
        out["hr@" + std::to_string(k)] = hitRate(k);
        out["ndcg@" + std::to_string(k)] = ndcg(k);
    }
    return out;
}

} // namespace idgen
