// The prefix trie and the constrained beam search: exactness against scoring every item by
// teacher forcing, validity, greedy, batch = one by one, the published-style reference, diverse
// groups, length limits and the trace. Parameterised over beam sizes 1, 2, 4, 10. Tiny model, CPU.
#include "decode/BeamSearch.h"
#include "decode/LogitsHooks.h"
#include "decode/PrefixTrie.h"
#include "decode/ReferenceBeamSearch.h"
#include "model/T5Model.h"
#include "support/TestSupport.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <random>
#include <set>

using namespace idgen;

namespace {

using Ids = std::vector<std::vector<std::int32_t>>;

std::shared_ptr<T5Model> tinyModel(std::uint64_t seed)
{
    at::manual_seed(static_cast<std::int64_t>(seed));
    auto model = std::make_shared<T5Model>(T5Config::byName("tiny"));
    model->eval();
    return model;
}

// A small catalog with shared prefixes, an ID that is a prefix of another and varying lengths.
Ids smallCatalog()
{
    return {{5, 6, 7}, {5, 6}, {5, 8}, {9}, {10, 11, 12, 13}, {10, 11, 14}, {15, 5}, {20, 21}};
}

// Prompts of different lengths, right-padded with 0 and masked.
std::pair<at::Tensor, at::Tensor> prompts(const Ids &rows)
{
    std::size_t width = 0;
    for (const auto &r : rows)
        width = std::max(width, r.size());
    at::Tensor ids = at::zeros({static_cast<std::int64_t>(rows.size()), static_cast<std::int64_t>(width)}, at::kLong);
    at::Tensor mask = at::zeros_like(ids);
    for (std::size_t i = 0; i < rows.size(); ++i)
        for (std::size_t j = 0; j < rows[i].size(); ++j) {
            ids[static_cast<std::int64_t>(i)][static_cast<std::int64_t>(j)] = rows[i][j];
            mask[static_cast<std::int64_t>(i)][static_cast<std::int64_t>(j)] = 1;
        }
    return {ids, mask};
}

Ids userPrompts()
{
    return {{30, 31, 32, 33, 34, 1}, {40, 41, 1}, {50, 51, 52, 53, 54, 55, 56, 57, 1}};
}

// log p(item's ID + eos | prompt) by one teacher-forced forward pass, and its normalised score.
std::vector<Hypothesis> scoreEveryItem(T5Model &model, const std::vector<std::int32_t> &prompt, const Ids &items,
                                       double lengthPenalty)
{
    at::NoGradGuard noGrad;
    const auto [ids, mask] = prompts({prompt});
    const at::Tensor encoded = model.encode(ids, mask);
    std::vector<Hypothesis> scored;
    for (std::size_t i = 0; i < items.size(); ++i) {
        std::vector<std::int64_t> target(items[i].begin(), items[i].end());
        target.push_back(1);
        std::vector<std::int64_t> input{0};
        input.insert(input.end(), target.begin(), target.end() - 1);
        const auto n = static_cast<std::int64_t>(target.size());
        const at::Tensor logits = model.decode(at::tensor(input, at::kLong).view({1, n}), encoded, mask);
        const at::Tensor logProbs = at::log_softmax(logits[0].to(at::kFloat), -1);
        double sum = 0.0;
        for (std::int64_t t = 0; t < n; ++t)
            sum += logProbs[t][target[static_cast<std::size_t>(t)]].item<double>();
        scored.push_back({items[i], sum, normalisedScore(sum, target.size(), lengthPenalty),
                          static_cast<std::int32_t>(i), 0});
    }
    return bestHypotheses(scored, scored.size());
}

// Constrained greedy by full recomputation: no cache, no beams.
std::vector<std::int32_t> constrainedGreedy(T5Model &model, const std::vector<std::int32_t> &prompt,
                                            const PrefixTrie &trie)
{
    at::NoGradGuard noGrad;
    const auto [ids, mask] = prompts({prompt});
    const at::Tensor encoded = model.encode(ids, mask);
    std::vector<std::int64_t> input{0};
    std::vector<std::int32_t> out;
    std::int32_t node = trie.root();
    for (;;) {
        const at::Tensor logits =
            model.decode(at::tensor(input, at::kLong).view({1, -1}), encoded, mask)[0][-1].to(at::kFloat);
        std::int32_t best = -1;
        for (const std::int32_t token : trie.allowedTokens(node))
            if (best < 0 || logits[token].item<double>() > logits[best].item<double>())
                best = token;
        node = trie.child(node, best);
        if (best == trie.eosId())
            return out;
        out.push_back(best);
        input.push_back(best);
    }
}

// Pushes each source's first token: token 5 (a one-token ID) for even sources, 6 (the start of
// six-token IDs) for odd ones, counting sources from `firstSource` so that a user decoded alone
// is pushed as it is in the batch.
class ParityBias final : public LogitsHook {
public:
    explicit ParityBias(std::int64_t firstSource) : m_firstSource(firstSource) {}
    void apply(at::Tensor &scores, const StepContext &context) override
    {
        if (context.step != 0)
            return;
        const at::Tensor odd = (context.sources + m_firstSource).remainder(2) == 1;
        scores.select(1, 5).add_(at::where(odd, 0.0, 50.0));
        scores.select(1, 6).add_(at::where(odd, 50.0, 0.0));
    }

private:
    std::int64_t m_firstSource;
};

} // namespace

class TestDecode : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void trieLayout()
    {
        const Ids items = {{5, 6, 7}, {5, 6}, {}, {5, 8}, {9}};
        const PrefixTrie trie = PrefixTrie::build(items, 1);
        QCOMPARE(trie.itemCount(), std::size_t(5));
        // Root children sorted: eos (the empty ID), 5, 9.
        const auto rootTokens = trie.allowedTokens(trie.root());
        QCOMPARE(std::vector<std::int32_t>(rootTokens.begin(), rootTokens.end()), (std::vector<std::int32_t>{1, 5, 9}));
        QCOMPARE(trie.itemAt(trie.child(trie.root(), 1)), 2);
        const std::int32_t n56 = trie.walk(std::vector<std::int32_t>{5, 6});
        QVERIFY(n56 != PrefixTrie::kNone);
        const auto after56 = trie.allowedTokens(n56);
        // "5 6" is an ID and a prefix of "5 6 7": eos and 7 are both allowed.
        QCOMPARE(std::vector<std::int32_t>(after56.begin(), after56.end()), (std::vector<std::int32_t>{1, 7}));
        QCOMPARE(trie.itemAt(trie.child(n56, 1)), 1);
        QCOMPARE(trie.itemAt(trie.walk(std::vector<std::int32_t>{5, 6, 7, 1})), 0);
        QCOMPARE(trie.walk(std::vector<std::int32_t>{5, 7}), PrefixTrie::kNone);
        QCOMPARE(trie.itemAt(n56), PrefixTrie::kNone);
        // Breadth-first: every node's children are a contiguous run after it.
        for (std::int32_t node = 0; node < static_cast<std::int32_t>(trie.nodeCount()); ++node)
            for (std::int32_t c = trie.childBegin(node); c < trie.childEnd(node); ++c)
                QVERIFY(c > node);
        QCOMPARE(trie.stats().maxDepth, std::size_t(4));
        QCOMPARE(trie.stats().nodesPerDepth.front(), std::size_t(1));
        QVERIFY(trie.stats().memoryBytes > 0);
    }

    void trieErrors()
    {
        QVERIFY(test::errorOf([] { PrefixTrie::build({{3, 4}, {5}, {3, 4}}, 1); }).contains("items 0 and 2"));
        QVERIFY(test::errorOf([] { PrefixTrie::build({{3, 1}}, 1); }).contains("eos"));
        QVERIFY(test::errorOf([] { PrefixTrie::build({{-3}}, 1); }).contains("negative"));
    }

    void constraintMatchesSlices()
    {
        const PrefixTrie trie = PrefixTrie::build(smallCatalog(), 1);
        TrieConstraint constraint(trie, at::kCPU);
        std::vector<std::int64_t> nodes;
        for (std::int32_t n = 0; n < static_cast<std::int32_t>(trie.nodeCount()); ++n)
            nodes.push_back(n);
        at::Tensor scores = at::zeros({static_cast<std::int64_t>(nodes.size()), 30});
        constraint.apply(scores, {0, at::tensor(nodes, at::kLong), {}});
        for (std::size_t r = 0; r < nodes.size(); ++r) {
            std::set<std::int32_t> expected;
            for (const auto t : trie.allowedTokens(static_cast<std::int32_t>(nodes[r])))
                expected.insert(t);
            for (std::int32_t t = 0; t < 30; ++t)
                QCOMPARE(std::isfinite(scores[static_cast<std::int64_t>(r)][t].item<float>()), expected.count(t) == 1);
        }
    }

    void beamSearch_data()
    {
        QTest::addColumn<int>("beams");
        QTest::newRow("1 beam") << 1;
        QTest::newRow("2 beams") << 2;
        QTest::newRow("4 beams") << 4;
        QTest::newRow("10 beams") << 10;
    }

    void beamSearch()
    {
        QFETCH(int, beams);
        auto model = tinyModel(7);
        const Ids items = smallCatalog();
        const PrefixTrie trie = PrefixTrie::build(items, 1);
        const Ids users = userPrompts();
        const auto [ids, mask] = prompts(users);
        BeamSearchOptions options;
        options.beams = beams;
        BeamSearch search(*model, options, &trie);
        const auto results = search.run(ids, mask);
        QCOMPARE(results.size(), users.size());

        for (std::size_t u = 0; u < users.size(); ++u) {
            const auto &found = results[u].hypotheses;
            QVERIFY(!found.empty());
            QVERIFY(found.size() <= static_cast<std::size_t>(beams));
            std::set<std::int32_t> distinct;
            for (const auto &h : found) {
                // Every result is a valid ID, of the item it names.
                QVERIFY(h.item >= 0 && h.item < static_cast<std::int32_t>(items.size()));
                QCOMPARE(h.tokens, items[static_cast<std::size_t>(h.item)]);
                distinct.insert(h.item);
            }
            QCOMPARE(distinct.size(), found.size());
            QVERIFY(std::is_sorted(found.begin(), found.end(), [](auto &a, auto &b) { return a.score > b.score; }));

            const auto exact = scoreEveryItem(*model, users[u], items, options.lengthPenalty);
            // Scores are the model's: each equals teacher forcing of that item.
            for (const auto &h : found) {
                const auto match = std::find_if(exact.begin(), exact.end(), [&](auto &e) { return e.item == h.item; });
                QVERIFY(std::abs(match->logProb - h.logProb) < 1e-4);
            }
            if (beams >= static_cast<int>(items.size())) {
                // Beams >= items: nothing is pruned, the ranking is exact.
                QCOMPARE(found.size(), items.size());
                for (std::size_t r = 0; r < found.size(); ++r)
                    QCOMPARE(found[r].item, exact[r].item);
            }
            if (beams == 1)
                QCOMPARE(found.front().tokens, constrainedGreedy(*model, users[u], trie));

            // A batch gives what its users give one by one.
            const auto [oneIds, oneMask] = prompts({users[u]});
            const auto alone = search.run(oneIds, oneMask).front().hypotheses;
            QCOMPARE(alone.size(), found.size());
            for (std::size_t r = 0; r < found.size(); ++r) {
                QCOMPARE(alone[r].item, found[r].item);
                QVERIFY(std::abs(alone[r].score - found[r].score) < 1e-4);
            }

            // The published approach, rebuilt (dictionary trie, one user, encoder copied per beam).
            ReferenceBeamSearch reference(*model, items, beams);
            const auto expected = reference.run(oneIds);
            QCOMPARE(expected.size(), found.size());
            for (std::size_t r = 0; r < found.size(); ++r) {
                QCOMPARE(expected[r].item, found[r].item);
                QVERIFY(std::abs(expected[r].score - found[r].score) < 1e-4);
            }
        }
    }

    void returnCountAndLengthPenalty()
    {
        auto model = tinyModel(3);
        const Ids items = smallCatalog();
        const PrefixTrie trie = PrefixTrie::build(items, 1);
        const auto [ids, mask] = prompts(userPrompts());
        BeamSearchOptions options;
        options.beams = 10;
        options.returnCount = 3;
        options.lengthPenalty = 0.0; // plain sums
        const auto results = BeamSearch(*model, options, &trie).run(ids, mask);
        const auto exact = scoreEveryItem(*model, userPrompts()[1], items, 0.0);
        QCOMPARE(results[1].hypotheses.size(), std::size_t(3));
        for (std::size_t r = 0; r < 3; ++r)
            QCOMPARE(results[1].hypotheses[r].item, exact[r].item);
    }

    void diverseGroups()
    {
        auto model = tinyModel(11);
        const auto [ids, mask] = prompts(userPrompts());
        BeamSearchOptions options;
        options.beams = 4;
        options.groups = 4; // one beam per group, as Algorithm 1 runs it
        options.minLength = 2;
        options.maxLength = 4;
        options.diversityPenalty = 0.0;
        const auto same = BeamSearch(*model, options).run(ids, mask);
        // Without a penalty every group runs the same greedy search.
        for (const auto &result : same) {
            QCOMPARE(result.hypotheses.size(), std::size_t(4));
            for (const auto &h : result.hypotheses)
                QCOMPARE(h.tokens, result.hypotheses.front().tokens);
        }
        options.diversityPenalty = 1e4;
        const auto diverse = BeamSearch(*model, options).run(ids, mask);
        for (const auto &result : diverse) {
            std::set<std::int32_t> firstTokens;
            for (const auto &h : result.hypotheses) {
                QVERIFY(h.tokens.size() >= 2 && h.tokens.size() <= 4);
                firstTokens.insert(h.tokens.front());
            }
            // A huge penalty makes each group start with a token no earlier group took.
            QCOMPARE(firstTokens.size(), std::size_t(4));
        }
    }

    // Users whose search is over leave the batch; the others must go on exactly as if alone, and
    // custom hooks must see each row's own user.
    void finishedUsersLeaveTheBatch()
    {
        auto model = tinyModel(11);
        const Ids items = {{5}, {6, 7, 8, 9, 10, 11}, {6, 7, 8, 9, 10, 12}};
        const PrefixTrie trie = PrefixTrie::build(items, 1);
        const Ids users = {{30, 31, 1}, {40, 41, 42, 1}, {50, 1}, {60, 61, 62, 63, 1}, {70, 71, 1}};
        for (const int beams : {1, 2}) {
            BeamSearchOptions options;
            options.beams = beams;
            BeamSearch batch(*model, options, &trie);
            batch.addHook(std::make_shared<ParityBias>(0));
            const auto [ids, mask] = prompts(users);
            const auto results = batch.run(ids, mask);
            std::set<int> steps;
            for (std::size_t u = 0; u < users.size(); ++u) {
                BeamSearch alone(*model, options, &trie);
                alone.addHook(std::make_shared<ParityBias>(static_cast<std::int64_t>(u)));
                const auto [oneIds, oneMask] = prompts({users[u]});
                const SearchResult expected = alone.run(oneIds, oneMask).front();
                QCOMPARE(results[u].steps, expected.steps);
                QCOMPARE(results[u].hypotheses.size(), expected.hypotheses.size());
                for (std::size_t r = 0; r < expected.hypotheses.size(); ++r) {
                    QCOMPARE(results[u].hypotheses[r].item, expected.hypotheses[r].item);
                    QVERIFY(std::abs(results[u].hypotheses[r].score - expected.hypotheses[r].score) < 1e-4);
                }
                if (beams == 1) // the bias decides: the one-token ID for even users, a six-token one for odd
                    QCOMPARE(results[u].hypotheses.front().item == 0, u % 2 == 0);
                steps.insert(results[u].steps);
            }
            if (beams == 1) // even users end after [5, eos], odd ones run the six-token IDs to the end
                QCOMPARE(steps, std::set<int>({2, 7}));
        }
    }

    void traceShowsPrunedTokens()
    {
        auto model = tinyModel(5);
        const Ids items = smallCatalog();
        const PrefixTrie trie = PrefixTrie::build(items, 1);
        const auto [ids, mask] = prompts({userPrompts()[0]});
        BeamSearchOptions options;
        options.beams = 2;
        options.trace = true;
        options.traceAlternatives = 10;
        const auto result = BeamSearch(*model, options, &trie).run(ids, mask).front();
        QVERIFY(result.trace.size() >= 2);
        // Replay the trace: every chosen token is allowed at its parent's node, every pruned one is not.
        std::vector<std::int32_t> nodes{trie.root()};
        for (std::size_t step = 0; step < result.trace.size(); ++step) {
            const TraceStep &s = result.trace[step];
            for (const auto &p : s.pruned) {
                const std::int32_t node = nodes[static_cast<std::size_t>(std::max(p.parent, 0))];
                QCOMPARE(trie.child(node, p.token), PrefixTrie::kNone);
            }
            std::vector<std::int32_t> next(static_cast<std::size_t>(options.beams), trie.root());
            for (const auto &c : s.chosen) {
                const std::int32_t node = nodes[static_cast<std::size_t>(std::max(c.parent, 0))];
                QVERIFY(trie.child(node, c.token) != PrefixTrie::kNone);
                if (c.slot >= 0)
                    next[static_cast<std::size_t>(c.slot)] = trie.child(node, c.token);
            }
            nodes = next;
        }
        QVERIFY(!result.trace.front().pruned.empty()); // a random model prefers tokens no ID starts with
    }

    void optionErrors()
    {
        auto model = tinyModel(1);
        BeamSearchOptions options;
        options.beams = 4;
        options.groups = 3;
        QVERIFY(test::errorOf([&] { BeamSearch(*model, options); }).contains("multiple of groups"));
        options.groups = 1;
        options.returnCount = 5;
        QVERIFY(test::errorOf([&] { BeamSearch(*model, options); }).contains("cannot return 5"));
    }
};

QTEST_GUILESS_MAIN(TestDecode)
#include "test_decode.moc"
