#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <vector>

namespace idgen {

// HR@k and NDCG@k over users (method.md section 3): a hit at 1-based rank r <= k counts 1 for HR
// and 1/log2(r + 1) for NDCG; a miss counts 0; both are averaged over every user added.
class RankingMetrics {
public:
    explicit RankingMetrics(std::vector<int> cutoffs);

    // The field's cutoffs that a search returning `results` items can fill: 5, 10, 20 (those <=
    // results), or just `results` when it is below 5.
    static std::vector<int> cutoffsFor(int results);

    void add(std::optional<int> targetRank);
    std::size_t users() const { return m_users; }
    const std::vector<int> &cutoffs() const { return m_cutoffs; }
    double hitRate(int k) const;
    double ndcg(int k) const;
    // {"hr@5": ..., "ndcg@5": ..., "hr@10": ...}
    nlohmann::json toJson() const;

private:
    std::size_t indexOf(int k) const; // throws an Error for a cutoff not tracked

    std::vector<int> m_cutoffs;
    std::vector<double> m_hits;
    std::vector<double> m_gains;
    std::size_t m_users = 0;
};

} // namespace idgen
