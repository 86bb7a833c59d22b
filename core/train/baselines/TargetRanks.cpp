#include "train/baselines/TargetRanks.h"

#include "train/baselines/BaselineScorer.h"
#include "util/Error.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <vector>

namespace idgen {

at::Tensor targetRanks(const at::Tensor &scores, const at::Tensor &targets)
{
    if (scores.dim() != 2 || targets.dim() != 1 || scores.size(0) != targets.size(0))
        throw Error("targetRanks: scores must be [rows, items] and targets [rows]");
    const at::Tensor column = targets.to(at::kLong).unsqueeze(1);
    const at::Tensor targetScore = scores.gather(1, column);
    const at::Tensor index = at::arange(scores.size(1), column.options()).unsqueeze(0);
    const at::Tensor higher = (scores > targetScore).sum(1);
    const at::Tensor tiedBefore = ((scores == targetScore) & (index < column)).sum(1);
    return higher + tiedBefore + 1;
}

std::vector<std::int64_t> scorerTargetRanks(BaselineScorer &scorer, std::span<const SplitSample> samples,
                                            std::int64_t batch, const std::function<bool()> &stop)
{
    if (batch < 1)
        throw Error("evaluation batch must be at least 1");
    std::vector<std::int64_t> out;
    out.reserve(samples.size());
    const auto step = static_cast<std::size_t>(batch);
    for (std::size_t first = 0; first < samples.size(); first += step) {
        if (stop && stop())
            throw Cancelled();
        const auto chunk = samples.subspan(first, std::min(step, samples.size() - first));
        std::vector<std::int64_t> targets;
        targets.reserve(chunk.size());
        for (const auto &sample : chunk)
            targets.push_back(sample.target);
        const at::Tensor scores = scorer.score(chunk);
        const at::Tensor targetTensor =
            at::tensor(targets, at::TensorOptions().dtype(at::kLong)).to(scores.device());
        const at::Tensor ranks = targetRanks(scores, targetTensor).cpu().contiguous();
        out.insert(out.end(), ranks.data_ptr<std::int64_t>(), ranks.data_ptr<std::int64_t>() + ranks.numel());
    }
    return out;
}

RankingMetrics metricsOfTargetRanks(std::size_t items, std::span<const std::int64_t> ranks)
{
    RankingMetrics metrics(RankingMetrics::cutoffsFor(static_cast<int>(std::min<std::size_t>(items, 20))));
    for (const std::int64_t rank : ranks)
        metrics.add(static_cast<int>(rank));
    return metrics;
}

RankingMetrics evaluateScorer(BaselineScorer &scorer, std::span<const SplitSample> samples, std::int64_t batch,
                              const std::function<bool()> &stop)
{
    return metricsOfTargetRanks(scorer.itemCount(), scorerTargetRanks(scorer, samples, batch, stop));
}

} // namespace idgen
