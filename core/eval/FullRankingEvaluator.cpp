#include "eval/FullRankingEvaluator.h"

#include "decode/BeamSearch.h"
#include "recommend/RecommenderSetup.h"
#include "data/Prompts.h"
#include "eval/EvaluationStore.h"
#include "ids/IdSnapshot.h"
#include "text/Tokenizer.h"
#include "jobs/JobEvents.h"
#include "model/Autocast.h"
#include "model/T5Model.h"
#include "model/TokenBatch.h"
#include "util/Clock.h"
#include "util/Error.h"

#include <algorithm>
#include <numeric>

namespace idgen {
namespace {

struct EncodedCase {
    std::size_t user = 0;
    std::uint32_t target = 0;
    std::vector<int> prompt;
};

std::vector<EncodedCase> encodeCases(const EvaluationData &data, const EvaluationRequest &request,
                                     std::size_t &skipped)
{
    std::vector<std::size_t> users = request.onlyUsers;
    if (users.empty()) {
        users.resize(data.dataset.userCount());
        std::iota(users.begin(), users.end(), std::size_t{0});
    }
    const std::size_t promptTemplate = request.unseenPrompt ? PromptTemplates::kHeldOut : PromptTemplates::kEvaluation;
    std::vector<EncodedCase> cases;
    for (const std::size_t user : users) {
        if (request.maxUsers && cases.size() == request.maxUsers)
            break;
        if (user >= data.dataset.userCount())
            throw Error("evaluate: user " + std::to_string(user) + " does not exist");
        auto c = evaluationCase(data.dataset, data.snapshot, user, request.split, request.maxHistory, promptTemplate);
        if (!c) {
            ++skipped;
            continue;
        }
        cases.push_back({user, c->target, encodeSource(data.tokenizer, c->prompt, request.maxPromptTokens)});
    }
    return cases;
}

// User IDs made from whole sequences (the published files, or --user-history leaky) contain the
// test item: scores measured with them are not comparable with leak-free ones.
std::optional<std::string> leakWarning(const IdSnapshot &snapshot)
{
    const auto history = snapshot.options.find("user_history");
    if (history == snapshot.options.end() || !history->is_string() ||
        history->get<std::string>().rfind("leaky", 0) != 0)
        return std::nullopt;
    return "snapshot " + std::to_string(snapshot.id) + " has user IDs with user_history '" + history->get<std::string>() +
           "': they were made from whole sequences and leak the test item into every prompt (for reproduction only)";
}

} // namespace

double EvaluationResult::usersPerSecond() const
{
    return decodeSeconds > 0.0 ? static_cast<double>(users.size()) / decodeSeconds : 0.0;
}

nlohmann::json EvaluationResult::toJson() const
{
    nlohmann::json out = {{"split", splitName(split)},
                          {"beams", beams},
                          {"users", users.size()},
                          {"skipped_users", skippedUsers},
                          {"metrics", metrics.toJson()},
                          {"seconds", decodeSeconds},
                          {"setup_seconds", setupSeconds},
                          {"users_per_s", usersPerSecond()},
                          {"mean_prompt_tokens", meanPromptTokens},
                          {"warnings", warnings}};
    if (id)
        out["evaluation"] = *id;
    return out;
}

EvaluationResult evaluateRecommender(const Database &db, const EvaluationRequest &request, JobEvents *events)
{
    Stopwatch watch;
    if (events)
        events->progress(0.0, "loading");
    const RecommenderSetup setup = loadRecommenderSetup(db, request.checkpoint, request.snapshot, request.device);
    const double loadSeconds = watch.seconds();
    EvaluationResult result = evaluateModel(*setup.recommender.model,
                                            EvaluationData{setup.dataset, setup.snapshot, setup.tokenizer, setup.trie},
                                            request, events);
    result.setupSeconds += loadSeconds;
    if (auto warning = leakWarning(setup.snapshot)) {
        if (events)
            events->log("warning: " + *warning);
        result.warnings.push_back(std::move(*warning));
    }
    if (request.store)
        result.id = storeEvaluation(db, request, result);
    return result;
}

EvaluationResult evaluateModel(T5Model &model, const EvaluationData &data, const EvaluationRequest &request,
                               JobEvents *events)
{
    if (request.beams < 1)
        throw Error("evaluate: beams must be positive");
    if (request.usersPerCall < 0)
        throw Error("evaluate: users per call must be positive (0: the device's default)");
    Stopwatch watch;
    const c10::Device device = model.device();

    EvaluationResult result;
    result.split = request.split;
    result.beams = request.beams;
    result.metrics = RankingMetrics(RankingMetrics::cutoffsFor(request.beams));
    const std::vector<EncodedCase> cases = encodeCases(data, request, result.skippedUsers);
    if (cases.empty())
        throw Error("dataset '" + data.snapshot.dataset + "' has no user with a " + std::string(splitName(request.split)) +
                    " item");
    double promptTokens = 0.0;
    for (const auto &c : cases)
        promptTokens += static_cast<double>(c.prompt.size());
    result.meanPromptTokens = promptTokens / static_cast<double>(cases.size());
    // Similar lengths in one call waste less compute on padding; ranks go back to dataset order.
    std::vector<std::size_t> order(cases.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return cases[a].prompt.size() < cases[b].prompt.size(); });
    result.setupSeconds = watch.seconds();

    BeamSearchOptions options;
    options.beams = request.beams;
    options.lengthPenalty = request.lengthPenalty;
    BeamSearch search(model, options, &data.trie);
    const AutocastScope autocast(device, request.bf16);
    const std::size_t perCall = static_cast<std::size_t>(
        request.usersPerCall > 0 ? request.usersPerCall : defaultSourcesPerCall(device));
    std::vector<int> ranks(cases.size(), 0);
    watch.restart();
    for (std::size_t begin = 0; begin < order.size(); begin += perCall) {
        const std::size_t end = std::min(order.size(), begin + perCall);
        std::vector<std::vector<int>> prompts;
        prompts.reserve(end - begin);
        for (std::size_t i = begin; i < end; ++i)
            prompts.push_back(cases[order[i]].prompt);
        const auto [ids, mask] = padTokens<int>(prompts, data.tokenizer.specialIds().pad, device);
        const std::vector<SearchResult> found = search.run(ids, mask);
        for (std::size_t i = begin; i < end; ++i) {
            const auto &hypotheses = found[i - begin].hypotheses;
            for (std::size_t r = 0; r < hypotheses.size(); ++r)
                if (static_cast<std::uint32_t>(hypotheses[r].item) == cases[order[i]].target) {
                    ranks[order[i]] = static_cast<int>(r + 1);
                    break;
                }
        }
        if (events)
            events->progress(static_cast<double>(end) / static_cast<double>(order.size()),
                             "decoding " + std::to_string(end) + "/" + std::to_string(order.size()) + " users");
    }
    result.decodeSeconds = watch.seconds();
    for (std::size_t i = 0; i < cases.size(); ++i) {
        result.users.push_back(cases[i].user);
        result.targetRanks.push_back(ranks[i]);
        result.metrics.add(ranks[i] > 0 ? std::optional<int>(ranks[i]) : std::nullopt);
    }
    return result;
}

} // namespace idgen
