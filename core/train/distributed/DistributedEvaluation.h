#pragma once

#include "data/Split.h"
#include "eval/FullRankingEvaluator.h"

#include <cstdint>
#include <span>

namespace idgen {

class BaselineScorer;
class ProcessGroupContext;

// The full-ranking evaluation split across the ranks of a data-parallel group: rank r decodes
// every r-th of the split's users (interleaved, so each rank gets every prompt length), the
// per-user target ranks are gathered, and every rank returns the result one process would: the
// same users in dataset order, their ranks, metrics added in that order, the skipped count.
// Without a group (or with one rank) it is evaluateModel. A user's rank can differ from a one-process
// evaluation only where its beam scores tie within float noise (its batch mates differ).
EvaluationResult evaluateAcrossRanks(ProcessGroupContext *group, T5Model &model, const EvaluationData &data,
                                     const EvaluationRequest &request);

// A baseline scorer's evaluation (evaluateScorer) split the same way: rank r scores its
// contiguous share of the samples, the target ranks are gathered, and every rank returns the
// metrics of all samples in order. Without a group (or with one rank) it is evaluateScorer.
RankingMetrics evaluateScorerAcrossRanks(ProcessGroupContext *group, BaselineScorer &scorer,
                                         std::span<const SplitSample> samples, std::int64_t batch);

} // namespace idgen
