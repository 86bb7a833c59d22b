#include "ids/schemes/cid/SpectralTree.h"

#include "util/Clock.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <numeric>
#include <random>

namespace idgen {
namespace {

using Items = std::vector<std::uint32_t>;

// The cluster's adjacency restricted to its items, symmetrically normalised, as a sparse tensor.
at::Tensor normalisedAdjacency(const CooccurrenceGraph &graph, const Items &items, std::vector<std::int64_t> &local)
{
    const auto n = static_cast<std::int64_t>(items.size());
    for (std::int64_t i = 0; i < n; ++i)
        local[items[static_cast<std::size_t>(i)]] = i;
    std::vector<std::int64_t> rows, cols;
    std::vector<float> values;
    std::vector<double> degree(items.size(), 0.0);
    for (std::int64_t i = 0; i < n; ++i) {
        const std::size_t item = items[static_cast<std::size_t>(i)];
        for (std::uint64_t e = graph.offsets[item]; e < graph.offsets[item + 1]; ++e) {
            const std::int64_t j = local[graph.neighbours[e]];
            if (j < 0)
                continue;
            rows.push_back(i);
            cols.push_back(j);
            values.push_back(graph.weights[e]);
            degree[static_cast<std::size_t>(i)] += graph.weights[e];
        }
    }
    for (const std::uint32_t item : items)
        local[item] = -1;
    for (std::size_t e = 0; e < values.size(); ++e)
        values[e] = static_cast<float>(values[e] / std::sqrt(degree[static_cast<std::size_t>(rows[e])] *
                                                             degree[static_cast<std::size_t>(cols[e])]));
    const auto nnz = static_cast<std::int64_t>(values.size());
    at::Tensor indices = at::empty({2, nnz}, at::kLong);
    if (nnz > 0) {
        std::copy(rows.begin(), rows.end(), indices.data_ptr<std::int64_t>());
        std::copy(cols.begin(), cols.end(), indices.data_ptr<std::int64_t>() + nnz);
    }
    at::Tensor weights = at::from_blob(values.data(), {nnz}, at::kFloat).clone();
    return at::sparse_coo_tensor(indices, weights, {n, n}).coalesce();
}

at::Tensor gaussian(std::int64_t rows, std::int64_t cols, std::mt19937_64 &rng)
{
    std::normal_distribution<float> normal;
    at::Tensor out = at::empty({rows, cols}, at::kFloat);
    float *data = out.data_ptr<float>();
    for (std::int64_t i = 0; i < rows * cols; ++i)
        data[i] = normal(rng);
    return out;
}

// The top-k eigenvectors of M (rows normalised to unit length; rows of unlinked items stay 0).
at::Tensor spectralEmbedding(const at::Tensor &m, int k, int iterations, std::mt19937_64 &rng)
{
    const std::int64_t n = m.size(0);
    const std::int64_t block = std::min<std::int64_t>(n, k + 10);
    const auto apply = [&m](const at::Tensor &q) { return 0.5 * (at::mm(m, q) + q); };
    at::Tensor q = std::get<0>(at::linalg_qr(gaussian(n, block, rng)));
    for (int it = 0; it < iterations; ++it)
        q = std::get<0>(at::linalg_qr(apply(q)));
    const at::Tensor ritz = at::mm(q.t(), apply(q));
    const auto [values, vectors] = at::linalg_eigh(0.5 * (ritz + ritz.t()));
    const std::int64_t top = std::min<std::int64_t>(k, block);
    at::Tensor u = at::mm(q, vectors.narrow(1, block - top, top));
    const at::Tensor norms = u.norm(2, 1, true);
    return u / at::where(norms > 1e-6, norms, at::ones_like(norms));
}

// Seeded k-means++ then Lloyd; labels per row.
std::vector<int> kMeans(const at::Tensor &x, int k, std::mt19937_64 &rng)
{
    const std::int64_t n = x.size(0);
    std::vector<std::int64_t> chosen{static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(n))};
    at::Tensor nearest = (x - x[chosen[0]]).pow(2).sum(1);
    while (static_cast<int>(chosen.size()) < k) {
        const at::Tensor cumulative = nearest.to(at::kDouble).cumsum(0);
        const double total = cumulative[n - 1].item<double>();
        std::int64_t next = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(n));
        if (total > 0.0) {
            const double target = std::uniform_real_distribution<double>(0.0, total)(rng);
            next = std::min<std::int64_t>(at::searchsorted(cumulative, target).item<std::int64_t>(), n - 1);
        }
        chosen.push_back(next);
        nearest = at::minimum(nearest, (x - x[next]).pow(2).sum(1));
    }
    at::Tensor centres = x.index_select(0, at::tensor(chosen, at::kLong)).clone();
    at::Tensor labels = at::full({n}, -1, at::kLong);
    for (int it = 0; it < 100; ++it) {
        const at::Tensor assigned = at::cdist(x, centres).argmin(1);
        if (assigned.equal(labels))
            break;
        labels = assigned;
        const at::Tensor sums = at::zeros_like(centres).index_add_(0, labels, x);
        const at::Tensor counts = at::zeros({k}, at::kFloat).index_add_(0, labels, at::ones({n}, at::kFloat));
        const at::Tensor filled = (counts > 0).unsqueeze(1);
        centres = at::where(filled, sums / counts.clamp_min(1).unsqueeze(1), centres);
    }
    const at::Tensor contiguous = labels.contiguous();
    return {contiguous.data_ptr<std::int64_t>(), contiguous.data_ptr<std::int64_t>() + n};
}

struct Node {
    Items items; // ascending
    std::vector<int> path;
};

} // namespace

SpectralTree buildSpectralTree(const CooccurrenceGraph &graph, const SpectralTreeOptions &options, JobEvents &events,
                               StopToken stop)
{
    SpectralTree tree;
    tree.paths.resize(graph.items);
    tree.leafPosition.assign(graph.items, 0);
    std::vector<std::int64_t> local(graph.items, -1);
    std::vector<Node> stack(1);
    stack[0].items.resize(graph.items);
    std::iota(stack[0].items.begin(), stack[0].items.end(), 0u);
    std::size_t placed = 0;
    std::uint64_t nodeNumber = 0;
    while (!stack.empty()) {
        stop.throwIfRequested();
        Node node = std::move(stack.back());
        stack.pop_back();
        if (node.items.size() <= options.leafSize) {
            for (std::size_t i = 0; i < node.items.size(); ++i) {
                tree.paths[node.items[i]] = node.path;
                tree.leafPosition[node.items[i]] = static_cast<int>(i);
            }
            ++tree.leaves;
            tree.depth = std::max(tree.depth, node.path.size());
            placed += node.items.size();
            events.progress(static_cast<double>(placed) / static_cast<double>(graph.items), "clustering items");
            continue;
        }
        std::mt19937_64 rng(options.seed + 0x9e3779b97f4a7c15ULL * ++nodeNumber);
        const int k = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(options.clusters), node.items.size()));
        const Stopwatch eigen;
        const at::Tensor embedding =
            spectralEmbedding(normalisedAdjacency(graph, node.items, local), k, options.iterations, rng);
        tree.eigenSeconds += eigen.seconds();
        const Stopwatch clustering;
        std::vector<int> labels = kMeans(embedding, k, rng);
        tree.kmeansSeconds += clustering.seconds();
        // Renumber the non-empty clusters in order of their smallest item.
        std::vector<int> renumber(static_cast<std::size_t>(k), -1);
        int clusters = 0;
        for (int &label : labels) {
            int &to = renumber[static_cast<std::size_t>(label)];
            if (to < 0)
                to = clusters++;
            label = to;
        }
        if (clusters < 2) {
            // Nothing to tell the items apart (no links among them): k parts in item order.
            ++tree.forcedSplits;
            clusters = k;
            for (std::size_t i = 0; i < labels.size(); ++i)
                labels[i] = static_cast<int>(i * static_cast<std::size_t>(k) / labels.size());
        }
        std::vector<Node> children(static_cast<std::size_t>(clusters));
        for (std::size_t i = 0; i < labels.size(); ++i)
            children[static_cast<std::size_t>(labels[i])].items.push_back(node.items[i]);
        // Pushed last child first, so the tree is walked (and seeded) in cluster order.
        for (int c = clusters - 1; c >= 0; --c) {
            Node &child = children[static_cast<std::size_t>(c)];
            child.path = node.path;
            child.path.push_back(c);
            stack.push_back(std::move(child));
        }
    }
    return tree;
}

} // namespace idgen
