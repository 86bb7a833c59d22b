#pragma once

#include <ATen/core/Tensor.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace idgen {

// The prefix tree over the token sequences of all item IDs of one ID snapshot, each sequence
// ending in eos (method.md section 1, constrained decoding). Stored as flat arrays in
// breadth-first order, so the children of a node are a contiguous run of node ids: a beam keeps
// its node id and a step's allowed tokens are a slice, never a walk from the root.
//
// Node 0 is the root. For node n, its children are the nodes childBegin(n) .. childEnd(n) - 1,
// sorted by the token on the edge into them (edgeToken). A node reached by eos is a leaf and
// names the item whose ID ends there. Empty IDs (eos alone) and IDs that are prefixes of other
// IDs are ordinary cases.
class PrefixTrie {
public:
    static constexpr std::int32_t kNone = -1;

    struct Stats {
        std::size_t sequences = 0;
        std::size_t nodes = 0;
        std::size_t maxDepth = 0;     // tokens on the longest path, eos included
        std::size_t memoryBytes = 0;  // the flat arrays
        double buildSeconds = 0.0;
        std::vector<std::size_t> nodesPerDepth;      // depth 0 = root
        std::vector<double> meanBranchingPerDepth;   // children per inner node at each depth
    };

    PrefixTrie() = default;
    // sequences[i] are item i's ID tokens, without eos (it is appended here). Throws an Error
    // naming both items when two sequences are equal (IDs must be unique), or when a sequence
    // contains eos or a negative token.
    static PrefixTrie build(const std::vector<std::vector<std::int32_t>> &sequences, std::int32_t eosId);

    std::int32_t root() const { return 0; }
    std::int32_t eosId() const { return m_eosId; }
    std::size_t nodeCount() const { return m_edgeToken.size(); }
    std::size_t itemCount() const { return m_stats.sequences; }

    std::int32_t childBegin(std::int32_t node) const { return m_childOffset[static_cast<std::size_t>(node)]; }
    std::int32_t childEnd(std::int32_t node) const { return m_childOffset[static_cast<std::size_t>(node) + 1]; }
    std::size_t childCount(std::int32_t node) const
    {
        return static_cast<std::size_t>(childEnd(node) - childBegin(node));
    }
    std::int32_t edgeToken(std::int32_t node) const { return m_edgeToken[static_cast<std::size_t>(node)]; }
    // The tokens a beam at this node may choose next (sorted).
    std::span<const std::int32_t> allowedTokens(std::int32_t node) const;
    // The child reached by token, or kNone (binary search in the slice).
    std::int32_t child(std::int32_t node, std::int32_t token) const;
    // The item whose ID ends at this leaf, or kNone for inner nodes.
    std::int32_t itemAt(std::int32_t node) const { return m_leafItem[static_cast<std::size_t>(node)]; }
    // The node reached by a token path from the root, or kNone.
    std::int32_t walk(std::span<const std::int32_t> tokens) const;

    const Stats &stats() const { return m_stats; }

    // The arrays as int64 tensors on a device, for building masks there (TrieConstraint).
    struct DeviceArrays {
        at::Tensor childOffset; // [nodes + 1]
        at::Tensor edgeToken;   // [nodes]
    };
    DeviceArrays toDevice(const c10::Device &device) const;

private:
    std::int32_t m_eosId = 1;
    std::vector<std::int32_t> m_childOffset{0, 0}; // nodes + 1
    std::vector<std::int32_t> m_edgeToken{0};      // root's entry unused
    std::vector<std::int32_t> m_leafItem{kNone};
    Stats m_stats;
};

} // namespace idgen
