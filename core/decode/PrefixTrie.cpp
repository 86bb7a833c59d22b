#include "decode/PrefixTrie.h"

#include "util/Clock.h"
#include "util/Error.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <numeric>

namespace idgen {
namespace {

// Token d of sequence s with eos appended.
std::int32_t tokenAt(const std::vector<std::int32_t> &s, std::size_t d, std::int32_t eos)
{
    return d < s.size() ? s[d] : eos;
}

} // namespace

PrefixTrie PrefixTrie::build(const std::vector<std::vector<std::int32_t>> &sequences, std::int32_t eosId)
{
    const Stopwatch watch;
    if (sequences.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
        throw Error("prefix trie: too many IDs");
    for (std::size_t i = 0; i < sequences.size(); ++i) {
        for (const std::int32_t token : sequences[i]) {
            if (token == eosId || token < 0)
                throw Error("prefix trie: the ID of item " + std::to_string(i) + " contains token " +
                            std::to_string(token) + (token == eosId ? " (eos)" : " (negative)"));
        }
    }

    // Sorted (eos appended, lexicographically), every node's items are a contiguous range and its
    // children are runs of equal tokens inside it.
    std::vector<std::int32_t> order(sequences.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
        const auto &x = sequences[static_cast<std::size_t>(a)];
        const auto &y = sequences[static_cast<std::size_t>(b)];
        const std::size_t n = std::min(x.size(), y.size()) + 1;
        for (std::size_t d = 0; d < n; ++d) {
            const std::int32_t tx = tokenAt(x, d, eosId);
            const std::int32_t ty = tokenAt(y, d, eosId);
            if (tx != ty)
                return tx < ty;
        }
        return a < b;
    });

    PrefixTrie trie;
    trie.m_eosId = eosId;
    trie.m_childOffset.assign(1, 0);
    trie.m_edgeToken.assign(1, 0);
    trie.m_leafItem.assign(1, kNone);
    // Per node while building: its range in `order` and its depth. Nodes are visited in id order,
    // which is breadth-first order, so each node's children get consecutive ids.
    std::vector<std::int32_t> rangeBegin{0};
    std::vector<std::int32_t> rangeEnd{static_cast<std::int32_t>(order.size())};
    std::vector<std::int32_t> depth{0};
    Stats &stats = trie.m_stats;
    for (std::size_t node = 0; node < trie.m_edgeToken.size(); ++node) {
        const auto nextId = static_cast<std::int32_t>(trie.m_edgeToken.size());
        trie.m_childOffset.push_back(nextId); // provisional end, fixed below
        trie.m_childOffset[node] = nextId;
        const std::size_t d = static_cast<std::size_t>(depth[node]);
        if (stats.nodesPerDepth.size() <= d)
            stats.nodesPerDepth.resize(d + 1, 0);
        ++stats.nodesPerDepth[d];
        if (trie.m_leafItem[node] != kNone)
            continue;
        std::int32_t begin = rangeBegin[node];
        const std::int32_t end = rangeEnd[node];
        while (begin < end) {
            const auto &first = sequences[static_cast<std::size_t>(order[static_cast<std::size_t>(begin)])];
            const std::int32_t token = tokenAt(first, d, eosId);
            std::int32_t runEnd = begin + 1;
            while (runEnd < end &&
                   tokenAt(sequences[static_cast<std::size_t>(order[static_cast<std::size_t>(runEnd)])], d, eosId) ==
                       token)
                ++runEnd;
            std::int32_t leaf = kNone;
            if (token == eosId) {
                if (runEnd - begin > 1)
                    throw Error("prefix trie: items " + std::to_string(order[static_cast<std::size_t>(begin)]) +
                                " and " + std::to_string(order[static_cast<std::size_t>(begin) + 1]) +
                                " have the same ID; IDs must be unique");
                leaf = order[static_cast<std::size_t>(begin)];
            }
            trie.m_edgeToken.push_back(token);
            trie.m_leafItem.push_back(leaf);
            rangeBegin.push_back(begin);
            rangeEnd.push_back(runEnd);
            depth.push_back(static_cast<std::int32_t>(d + 1));
            begin = runEnd;
        }
        if (trie.m_edgeToken.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
            throw Error("prefix trie: more than 2^31 nodes");
    }
    trie.m_childOffset.back() = static_cast<std::int32_t>(trie.m_edgeToken.size());
    trie.m_childOffset.resize(trie.m_edgeToken.size() + 1);

    stats.sequences = sequences.size();
    stats.nodes = trie.m_edgeToken.size();
    stats.maxDepth = stats.nodesPerDepth.empty() ? 0 : stats.nodesPerDepth.size() - 1;
    stats.memoryBytes = (trie.m_childOffset.capacity() + trie.m_edgeToken.capacity() + trie.m_leafItem.capacity()) *
                        sizeof(std::int32_t);
    // Mean children of the inner nodes of each depth: the nodes one level down over the inner
    // nodes at this level (leaves have none).
    std::vector<std::size_t> innerPerDepth(stats.nodesPerDepth.size(), 0);
    for (std::size_t node = 0; node < stats.nodes; ++node) {
        if (trie.m_leafItem[node] == kNone)
            ++innerPerDepth[static_cast<std::size_t>(depth[node])];
    }
    stats.meanBranchingPerDepth.assign(stats.nodesPerDepth.size(), 0.0);
    for (std::size_t d = 0; d + 1 < stats.nodesPerDepth.size(); ++d) {
        if (innerPerDepth[d] > 0)
            stats.meanBranchingPerDepth[d] =
                static_cast<double>(stats.nodesPerDepth[d + 1]) / static_cast<double>(innerPerDepth[d]);
    }
    stats.buildSeconds = watch.seconds();
    return trie;
}

std::span<const std::int32_t> PrefixTrie::allowedTokens(std::int32_t node) const
{
    return {m_edgeToken.data() + childBegin(node), childCount(node)};
}

std::int32_t PrefixTrie::child(std::int32_t node, std::int32_t token) const
{
    const auto first = m_edgeToken.begin() + childBegin(node);
    const auto last = m_edgeToken.begin() + childEnd(node);
    const auto found = std::lower_bound(first, last, token);
    if (found == last || *found != token)
        return kNone;
    return static_cast<std::int32_t>(found - m_edgeToken.begin());
}

std::int32_t PrefixTrie::walk(std::span<const std::int32_t> tokens) const
{
    std::int32_t node = root();
    for (const std::int32_t token : tokens) {
        node = child(node, token);
        if (node == kNone)
            return kNone;
    }
    return node;
}

PrefixTrie::DeviceArrays PrefixTrie::toDevice(const c10::Device &device) const
{
    const auto ints = at::TensorOptions().dtype(at::kInt);
    const auto copy = [&](const std::vector<std::int32_t> &values) {
        return at::from_blob(const_cast<std::int32_t *>(values.data()), {static_cast<std::int64_t>(values.size())}, ints)
            .to(device, at::kLong);
    };
    return {copy(m_childOffset), copy(m_edgeToken)};
}

} // namespace idgen
