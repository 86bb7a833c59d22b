#include "recommend/UserDecoding.h"

#include "recommend/DecodeTraceRepository.h"
#include "recommend/RecommenderSetup.h"
#include "eval/EvaluationCase.h"
#include "text/Tokenizer.h"
#include "model/T5Model.h"
#include "model/TokenBatch.h"
#include "store/Database.h"
#include "util/Clock.h"
#include "util/Error.h"

namespace idgen {
namespace {

std::size_t userIndexOf(const Dataset &dataset, const std::string &rawId, const std::string &datasetName)
{
    for (std::size_t u = 0; u < dataset.userCount(); ++u)
        if (dataset.userRawIds[u] == rawId)
            return u;
    throw Error("dataset '" + datasetName + "' has no user '" + rawId + "'");
}

std::string titleOf(const ItemFields &fields)
{
    if (fields.is_object() && fields.contains("title") && fields["title"].is_string())
        return fields["title"].get<std::string>();
    return {};
}

std::int64_t storeTrace(const Database &db, const UserDecodeRequest &request, std::size_t user,
                        const UserDecodeResult &result, const nlohmann::json &trace)
{
    StoredTrace stored;
    stored.snapshot = request.snapshot;
    stored.user = static_cast<std::int64_t>(user);
    stored.checkpoint = std::filesystem::absolute(request.checkpoint).string();
    stored.beams = request.beams;
    stored.prompt = result.prompt;
    for (const auto &r : result.ranked)
        stored.ranked.push_back(
            {{"rank", r.rank}, {"item", r.item}, {"raw_id", r.rawId}, {"id", r.idText}, {"score", r.score}});
    stored.trace = trace;
    return DecodeTraceRepository(db).save(stored);
}

} // namespace

nlohmann::json traceJson(const std::vector<TraceStep> &trace, const std::vector<std::string> &pieces)
{
    const auto piece = [&](std::int32_t token) {
        return token >= 0 && static_cast<std::size_t>(token) < pieces.size() ? pieces[static_cast<std::size_t>(token)]
                                                                                : std::string();
    };
    nlohmann::json steps = nlohmann::json::array();
    for (std::size_t s = 0; s < trace.size(); ++s) {
        nlohmann::json chosen = nlohmann::json::array();
        for (const auto &c : trace[s].chosen)
            chosen.push_back({{"slot", c.slot}, {"parent", c.parent}, {"token", c.token}, {"piece", piece(c.token)},
                              {"log_prob", c.logProb}, {"group", c.group}});
        nlohmann::json pruned = nlohmann::json::array();
        for (const auto &p : trace[s].pruned)
            pruned.push_back({{"parent", p.parent}, {"token", p.token}, {"piece", piece(p.token)}, {"log_prob", p.logProb}});
        steps.push_back({{"step", s}, {"chosen", chosen}, {"pruned", pruned}});
    }
    return steps;
}

UserDecodeResult decodeUser(const Database &db, const UserDecodeRequest &request)
{
    const Stopwatch watch;
    const RecommenderSetup setup = loadRecommenderSetup(db, request.checkpoint, request.snapshot, request.device);
    const Dataset &dataset = setup.dataset;
    const IdSnapshot &snapshot = setup.snapshot;
    const Tokenizer &tokenizer = setup.tokenizer;

    UserDecodeResult result;
    const std::size_t user = userIndexOf(dataset, request.userRawId, snapshot.dataset);
    const auto testCase = evaluationCase(dataset, snapshot, user, EvaluationSplit::Test, request.maxHistory);
    if (!testCase)
        throw Error("user '" + request.userRawId + "' has fewer than 2 items: no test prompt");
    result.userRawId = request.userRawId;
    result.userIdText = snapshot.users.empty() ? std::string() : snapshot.users.texts[user];
    result.prompt = testCase->prompt;
    result.targetRawId = dataset.itemRawIds[testCase->target];
    const std::vector<int> prompt = encodeSource(tokenizer, result.prompt, request.maxPromptTokens);
    result.promptTokens = prompt.size();

    BeamSearchOptions options;
    options.beams = request.beams;
    options.returnCount = request.topK;
    options.trace = request.trace || request.storeTrace;
    BeamSearch search(*setup.recommender.model, options, &setup.trie);
    const auto [ids, mask] = padTokens<int>(std::vector<std::vector<int>>{prompt}, tokenizer.specialIds().pad, setup.recommender.model->device());
    SearchResult found = search.run(ids, mask).front();
    int rank = 0;
    for (const auto &h : found.hypotheses) {
        RankedItem r;
        r.rank = ++rank;
        r.item = h.item;
        r.rawId = dataset.itemRawIds[static_cast<std::size_t>(h.item)];
        r.idText = snapshot.items.texts[static_cast<std::size_t>(h.item)];
        r.title = titleOf(dataset.itemFields[static_cast<std::size_t>(h.item)]);
        r.score = h.score;
        r.logProb = h.logProb;
        if (static_cast<std::uint32_t>(h.item) == testCase->target)
            result.targetRank = r.rank;
        result.ranked.push_back(std::move(r));
    }
    result.trace = std::move(found.trace);
    if (options.trace) {
        std::vector<std::string> pieces;
        for (int t = 0; t < tokenizer.vocabSize(); ++t)
            pieces.push_back(tokenizer.idToPiece(t));
        result.traceJson = traceJson(result.trace, pieces);
    }
    if (request.storeTrace)
        result.traceId = storeTrace(db, request, user, result, result.traceJson);
    result.seconds = watch.seconds();
    return result;
}

} // namespace idgen
