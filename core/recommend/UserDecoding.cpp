#include "recommend/UserDecoding.h"

#include "recommend/DecodeTraceRepository.h"
#include "recommend/RecommenderCache.h"
#include "recommend/RecommenderSetup.h"
#include "eval/EvaluationCase.h"
#include "text/Tokenizer.h"
#include "model/T5Model.h"
#include "model/TokenBatch.h"
#include "store/Database.h"
#include "util/Clock.h"
#include "util/Error.h"
#include "data/Prompts.h"
#include "decode/LogitsHooks.h"

#include <string_view>
#include <unordered_map>

namespace idgen {
namespace {

std::size_t userIndexOf(const Dataset &dataset, const std::string &rawId, const std::string &datasetName)
{
    for (std::size_t u = 0; u < dataset.userCount(); ++u)
        if (dataset.userRawIds[u] == rawId)
            return u;
    throw Error("dataset '" + datasetName + "' has no user '" + rawId + "'");
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

// A prompt over items chosen by hand, as the evaluation template writes it, with no user ID.
std::string handWrittenPrompt(const Dataset &dataset, const IdSnapshot &snapshot,
                              const std::vector<std::string> &historyRawIds, std::size_t maxHistory)
{
    std::unordered_map<std::string_view, std::size_t> indexOf;
    for (std::size_t i = 0; i < dataset.itemCount(); ++i)
        indexOf.emplace(dataset.itemRawIds[i], i);
    const std::size_t first = historyRawIds.size() > maxHistory ? historyRawIds.size() - maxHistory : 0;
    std::vector<std::string> history;
    for (std::size_t h = first; h < historyRawIds.size(); ++h) {
        const auto found = indexOf.find(historyRawIds[h]);
        if (found == indexOf.end())
            throw Error("dataset '" + snapshot.dataset + "' has no item '" + historyRawIds[h] + "'");
        history.push_back(snapshot.items.texts[found->second]);
    }
    return PromptTemplates::render(PromptTemplates::kEvaluation, "", history);
}

// The forced prefix's tokens; with the trie on, an Error when no item ID starts with them.
std::vector<std::int32_t> prefixTokens(const RecommenderSetup &setup, const UserDecodeRequest &request)
{
    const std::vector<int> encoded = setup.tokenizer.encode(request.forcedPrefix, false);
    std::vector<std::int32_t> tokens(encoded.begin(), encoded.end());
    if (request.constrained && setup.trie.walk(tokens) == PrefixTrie::kNone)
        throw Error("no item ID of snapshot " + std::to_string(request.snapshot) + " starts with '" +
                    request.forcedPrefix + "'");
    return tokens;
}

// What an unconstrained search wrote, looked up among the snapshot's item IDs.
class ItemByIdText {
public:
    explicit ItemByIdText(const IdSnapshot &snapshot)
    {
        for (std::size_t i = 0; i < snapshot.items.size(); ++i)
            m_items.emplace(snapshot.items.texts[i], static_cast<std::int32_t>(i));
    }
    std::int32_t find(const std::string &text) const
    {
        const auto found = m_items.find(text);
        return found == m_items.end() ? -1 : found->second;
    }

private:
    std::unordered_map<std::string, std::int32_t> m_items;
};

} // namespace

std::string itemTitle(const ItemFields &fields)
{
    if (fields.is_object() && fields.contains("title") && fields["title"].is_string())
        return fields["title"].get<std::string>();
    return {};
}

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

UserDecodeResult decodeUser(const Database &db, const UserDecodeRequest &request, RecommenderCache *cache)
{
    const Stopwatch watch;
    const std::shared_ptr<const RecommenderSetup> loaded =
        cache ? cache->setup(db, request.checkpoint, request.snapshot, request.device)
              : std::make_shared<const RecommenderSetup>(loadRecommenderSetup(db, request.checkpoint, request.snapshot, request.device));
    const RecommenderSetup &setup = *loaded;
    const Dataset &dataset = setup.dataset;
    const IdSnapshot &snapshot = setup.snapshot;
    const Tokenizer &tokenizer = setup.tokenizer;

    UserDecodeResult result;
    std::optional<std::size_t> user;
    std::optional<std::uint32_t> target;
    if (request.historyRawIds.empty()) {
        user = userIndexOf(dataset, request.userRawId, snapshot.dataset);
        const auto testCase = evaluationCase(dataset, snapshot, *user, EvaluationSplit::Test, request.maxHistory);
        if (!testCase)
            throw Error("user '" + request.userRawId + "' has fewer than 2 items: no test prompt");
        result.userRawId = request.userRawId;
        result.userIdText = snapshot.users.empty() ? std::string() : snapshot.users.texts[*user];
        result.prompt = testCase->prompt;
        target = testCase->target;
        result.targetRawId = dataset.itemRawIds[testCase->target];
    } else {
        result.prompt = handWrittenPrompt(dataset, snapshot, request.historyRawIds, request.maxHistory);
    }
    const std::vector<int> prompt = encodeSource(tokenizer, result.prompt, request.maxPromptTokens);
    result.promptTokens = prompt.size();

    BeamSearchOptions options;
    options.beams = request.beams;
    options.returnCount = request.topK;
    options.trace = request.trace || request.storeTrace;
    // Unconstrained, the model may write up to the longest ID's tokens and one more.
    if (!request.constrained)
        options.maxLength = static_cast<int>(setup.trie.stats().maxDepth);
    BeamSearch search(*setup.recommender.model, options, request.constrained ? &setup.trie : nullptr);
    if (!request.constrained) // the trie already keeps the search inside the tokenizer's pieces
        search.addHook(std::make_shared<VocabularyLimit>(tokenizer.vocabSize()));
    if (!request.forcedPrefix.empty())
        search.addHook(std::make_shared<ForcedPrefix>(prefixTokens(setup, request)));
    const auto [ids, mask] = padTokens<int>(std::vector<std::vector<int>>{prompt}, tokenizer.specialIds().pad, setup.recommender.model->device());
    SearchResult found = search.run(ids, mask).front();
    const ItemByIdText itemByText(snapshot);
    int rank = 0;
    for (const auto &h : found.hypotheses) {
        RankedItem r;
        r.rank = ++rank;
        r.item = request.constrained ? h.item : itemByText.find(tokenizer.decode(std::vector<int>(h.tokens.begin(), h.tokens.end())));
        if (r.item >= 0) {
            r.rawId = dataset.itemRawIds[static_cast<std::size_t>(r.item)];
            r.idText = snapshot.items.texts[static_cast<std::size_t>(r.item)];
            r.title = itemTitle(dataset.itemFields[static_cast<std::size_t>(r.item)]);
        } else {
            r.idText = tokenizer.decode(std::vector<int>(h.tokens.begin(), h.tokens.end()));
        }
        r.score = h.score;
        r.logProb = h.logProb;
        if (target && r.item >= 0 && static_cast<std::uint32_t>(r.item) == *target)
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
    if (request.storeTrace) {
        if (!user)
            throw Error("a decoding of a history written by hand names no user: it cannot be stored as a user's trace");
        result.traceId = storeTrace(db, request, *user, result, result.traceJson);
    }
    result.seconds = watch.seconds();
    return result;
}

} // namespace idgen
