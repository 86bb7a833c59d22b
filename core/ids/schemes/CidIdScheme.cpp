#include "ids/NumberIds.h"
#include "ids/ScaledEvents.h"
#include "ids/SnapshotVocabulary.h"
#include "ids/schemes/Schemes.h"
#include "ids/schemes/cid/SpectralTree.h"
#include "util/Clock.h"

#include <limits>

namespace idgen {
namespace {

struct CidOptions {
    SpectralTreeOptions tree;
    std::size_t window = 0;

    static CidOptions read(const IdAssignmentOptions &options)
    {
        const SchemeOptionReader reader(options.schemeOptions);
        CidOptions out;
        out.tree.clusters = static_cast<int>(reader.integer("clusters", 16, 2, 1024));
        out.tree.leafSize = static_cast<std::size_t>(reader.integer("leaf-size", 64, 1, 1 << 24));
        out.tree.iterations = static_cast<int>(reader.integer("iterations", 40, 1, 10000));
        out.tree.seed = static_cast<std::uint64_t>(reader.integer("seed", 1, 0, std::numeric_limits<std::int64_t>::max()));
        out.window = static_cast<std::size_t>(reader.integer("window", 0, 0, 1 << 20));
        return out;
    }
    nlohmann::json toJson() const
    {
        return {{"clusters", tree.clusters}, {"leaf_size", tree.leafSize}, {"iterations", tree.iterations},
                {"seed", tree.seed}, {"window", window}};
    }
};

// Collaborative indexing (CID, method.md section 5): items that users take together share the
// first tokens of their IDs. The path through a recursive spectral clustering of the training
// split's co-occurrence graph is written as level tokens <c_LEVEL_CLUSTER>, then <c_leaf_J>, the
// item's place in its leaf, makes the ID unique: "<c_1_3> <c_2_11> <c_leaf_5>".
class CidIdScheme final : public IdScheme {
public:
    std::string name() const override { return "cid"; }
    std::string description() const override
    {
        return "collaborative IDs: the item's path through recursive spectral clustering of the training split's "
               "co-occurrence graph, <c_LEVEL_K> tokens, then <c_leaf_J>";
    }
    IdSchemeNeeds needs() const override { return {}; }
    std::vector<IdSchemeOption> options() const override
    {
        return {{"clusters", "clusters per level (k)", 16},
                {"leaf-size", "a cluster of at most this many items is not split again (N)", 64},
                {"iterations", "subspace iterations of the sparse eigen-solve", 40},
                {"window", "items co-occur within this many positions of a user's training items (0: anywhere)", 0},
                {"seed", "random seed (same seed, same IDs)", 1}};
    }
    nlohmann::json recordedOptions(const IdAssignmentOptions &options) const override
    {
        return CidOptions::read(options).toJson();
    }

    IdSnapshot assign(const IdSchemeInput &input, JobEvents &events, StopToken stop) const override
    {
        const CidOptions options = CidOptions::read(input.options);
        const Stopwatch graphWatch;
        const CooccurrenceGraph graph = CooccurrenceGraph::ofTrainingSplit(input.dataset, options.window);
        const double graphSeconds = graphWatch.seconds();
        stop.throwIfRequested();
        ScaledEvents treeEvents(events, 0.05, 0.9);
        const SpectralTree tree = buildSpectralTree(graph, options.tree, treeEvents, stop);

        IdSnapshot snapshot;
        AddedTokenTable added(input.tokenizer, snapshot);
        // Level tokens first, then the leaf tokens, so the added vocabulary reads in order.
        for (std::size_t level = 1; level <= tree.depth; ++level)
            for (int k = 0; k < options.tree.clusters; ++k)
                added.id(levelToken(level, k));
        std::size_t largestLeaf = 0;
        for (const int position : tree.leafPosition)
            largestLeaf = std::max(largestLeaf, static_cast<std::size_t>(position) + 1);
        for (std::size_t j = 0; j < largestLeaf; ++j)
            added.id("<c_leaf_" + std::to_string(j) + ">");

        for (std::size_t item = 0; item < graph.items; ++item) {
            std::string text;
            std::vector<int> tokens;
            const auto &path = tree.paths[item];
            for (std::size_t level = 0; level < path.size(); ++level) {
                const std::string token = levelToken(level + 1, path[level]);
                text += token + " ";
                tokens.push_back(added.id(token));
            }
            const std::string leaf = "<c_leaf_" + std::to_string(tree.leafPosition[item]) + ">";
            text += leaf;
            tokens.push_back(added.id(leaf));
            snapshot.items.push(std::move(text), std::move(tokens));
        }
        snapshot.items.computeShapeStats();
        snapshot.items.stats.order = "item index";
        snapshot.users = numberedUserIds(input.dataset, input.tokenizer);

        IdSchemeRecord &record = snapshot.record;
        // Items that shared their whole cluster path with an earlier item of their leaf.
        record.collisionsBeforeDedup = graph.items - tree.leaves;
        for (std::size_t level = 0; level < tree.depth; ++level) {
            std::vector<int> codes(graph.items, -1);
            for (std::size_t item = 0; item < graph.items; ++item)
                if (level < tree.paths[item].size())
                    codes[item] = tree.paths[item][level];
            record.codeUsage.push_back(
                CodeUsage::of(static_cast<int>(level + 1), static_cast<std::size_t>(options.tree.clusters), codes));
        }
        record.codeUsage.push_back(CodeUsage::of(static_cast<int>(tree.depth + 1), options.tree.leafSize, tree.leafPosition));
        record.details = {{"graph_edges", graph.edgeCount()},
                          {"isolated_items", graph.isolatedItems()},
                          {"levels", tree.depth},
                          {"leaves", tree.leaves},
                          {"forced_splits", tree.forcedSplits},
                          {"graph_seconds", graphSeconds},
                          {"eigen_seconds", tree.eigenSeconds},
                          {"kmeans_seconds", tree.kmeansSeconds},
                          {"added_tokens", snapshot.addedTokens.size()}};
        events.progress(1.0, "user IDs");
        return snapshot;
    }

private:
    static std::string levelToken(std::size_t level, int cluster)
    {
        return "<c_" + std::to_string(level) + "_" + std::to_string(cluster) + ">";
    }
};

} // namespace

std::unique_ptr<IdScheme> makeCidIdScheme()
{
    return std::make_unique<CidIdScheme>();
}

} // namespace idgen
