#pragma once

#include "data/Split.h"
#include "eval/RankingMetrics.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace idgen {

class BaselineScorer;

// The 1-based rank of each row's target among all items of that row: 1 + the items scored strictly
// higher + the items scored equally with a lower index, so ties are broken the same way on every
// device and in every batch. scores [rows, items] (any float type, any device), targets [rows]
// (integer item indices, same device); returns int64 [rows] on that device. Tensor ops only.
at::Tensor targetRanks(const at::Tensor &scores, const at::Tensor &targets);

// The 1-based target rank of each sample (targetRanks), scored `batch` samples at a time on the
// scorer's device. stop (optional) is asked between batches; when it answers true, throws Cancelled.
std::vector<std::int64_t> scorerTargetRanks(BaselineScorer &scorer, std::span<const SplitSample> samples,
                                            std::int64_t batch, const std::function<bool()> &stop = {});

// HR and NDCG at 5, 10 and 20 (those a catalog of `items` can fill) of target ranks, in order.
RankingMetrics metricsOfTargetRanks(std::size_t items, std::span<const std::int64_t> ranks);

// HR and NDCG at 5, 10 and 20 (those the catalog can fill) of a scorer over samples, scored
// `batch` samples at a time on the scorer's device. stop (optional) is asked between batches;
// when it answers true the evaluation ends early and throws Cancelled.
RankingMetrics evaluateScorer(BaselineScorer &scorer, std::span<const SplitSample> samples, std::int64_t batch,
                              const std::function<bool()> &stop = {});

} // namespace idgen
