#include "train/distributed/DistributedEvaluation.h"

#include "data/Dataset.h"
#include "ids/IdSnapshot.h"
#include "train/baselines/BaselineScorer.h"
#include "train/baselines/TargetRanks.h"
#include "train/distributed/GradientAllReduce.h"
#include "train/distributed/ProcessGroupContext.h"
#include "util/Clock.h"
#include "util/Error.h"

#include <ATen/ATen.h>

#include <numeric>

namespace idgen {
namespace {

// The users a split evaluates, as evaluateModel picks them (evaluationCase's length rule:
// 3 items for valid, 2 for test), and how many of the asked-for users it skips.
std::vector<std::size_t> splitUsers(const Dataset &dataset, const EvaluationRequest &request, std::size_t &skipped)
{
    std::vector<std::size_t> asked = request.onlyUsers;
    if (asked.empty()) {
        asked.resize(dataset.userCount());
        std::iota(asked.begin(), asked.end(), std::size_t{0});
    }
    const std::size_t needed = request.split == EvaluationSplit::Valid ? 3 : 2;
    std::vector<std::size_t> users;
    for (const std::size_t user : asked) {
        if (request.maxUsers && users.size() == request.maxUsers)
            break;
        if (user >= dataset.userCount())
            throw Error("evaluate: user " + std::to_string(user) + " does not exist");
        if (dataset.sequence(user).size() >= needed)
            users.push_back(user);
        else
            ++skipped;
    }
    return users;
}

} // namespace

EvaluationResult evaluateAcrossRanks(ProcessGroupContext *group, T5Model &model, const EvaluationData &data,
                                     const EvaluationRequest &request)
{
    if (!group || group->worldSize() == 1)
        return evaluateModel(model, data, request);
    const Stopwatch watch;
    std::size_t skipped = 0;
    const std::vector<std::size_t> users = splitUsers(data.dataset, request, skipped);
    if (users.empty())
        throw Error("dataset '" + data.snapshot.dataset + "' has no user with a " + std::string(splitName(request.split)) +
                    " item");
    EvaluationRequest mine = request;
    mine.maxUsers = 0;
    mine.onlyUsers.clear();
    for (std::size_t i = static_cast<std::size_t>(group->rank()); i < users.size(); i += static_cast<std::size_t>(group->worldSize()))
        mine.onlyUsers.push_back(users[i]);

    // Per dataset user: 0 when not evaluated, else 1 + its target rank (0: not returned). The ranks'
    // users are disjoint, so a sum gathers them.
    at::Tensor codes = at::zeros({static_cast<std::int64_t>(data.dataset.userCount())}, at::kLong);
    double promptTokens = 0.0;
    EvaluationResult local;
    if (!mine.onlyUsers.empty()) {
        local = evaluateModel(model, data, mine);
        auto *code = codes.data_ptr<std::int64_t>();
        for (std::size_t i = 0; i < local.users.size(); ++i)
            code[local.users[i]] = 1 + local.targetRanks[i];
        promptTokens = local.meanPromptTokens * static_cast<double>(local.users.size());
    }
    std::vector<at::Tensor> gathered{codes};
    group->allReduceSum(gathered, "gathering the " + std::string(splitName(request.split)) + " ranks");
    const double tokens = group->sumScalars({promptTokens}, "gathering prompt lengths").front();

    EvaluationResult result;
    result.split = request.split;
    result.beams = request.beams;
    result.metrics = RankingMetrics(RankingMetrics::cutoffsFor(request.beams));
    result.skippedUsers = skipped;
    result.warnings = local.warnings;
    const auto *code = gathered.front().data_ptr<std::int64_t>();
    for (const std::size_t user : users) {
        if (code[user] == 0)
            throw Error("evaluation across ranks: no rank decoded user " + std::to_string(user));
        const int rank = static_cast<int>(code[user] - 1);
        result.users.push_back(user);
        result.targetRanks.push_back(rank);
        result.metrics.add(rank > 0 ? std::optional<int>(rank) : std::nullopt);
    }
    result.meanPromptTokens = tokens / static_cast<double>(users.size());
    result.setupSeconds = local.setupSeconds;
    result.decodeSeconds = watch.seconds();
    return result;
}

RankingMetrics evaluateScorerAcrossRanks(ProcessGroupContext *group, BaselineScorer &scorer,
                                         std::span<const SplitSample> samples, std::int64_t batch)
{
    if (!group || group->worldSize() == 1)
        return evaluateScorer(scorer, samples, batch);
    const auto [begin, end] = rankShare(samples.size(), group->rank(), group->worldSize());
    // Every sample's target rank; the shares are disjoint, so a sum gathers them.
    at::Tensor ranks = at::zeros({static_cast<std::int64_t>(samples.size())}, at::kLong);
    if (end > begin) {
        const std::vector<std::int64_t> mine = scorerTargetRanks(scorer, samples.subspan(begin, end - begin), batch);
        std::copy(mine.begin(), mine.end(), ranks.data_ptr<std::int64_t>() + begin);
    }
    std::vector<at::Tensor> gathered{ranks};
    group->allReduceSum(gathered, "gathering the baseline's target ranks");
    const at::Tensor all = gathered.front().contiguous();
    return metricsOfTargetRanks(scorer.itemCount(),
                                std::span<const std::int64_t>(all.data_ptr<std::int64_t>(), samples.size()));
}

} // namespace idgen
