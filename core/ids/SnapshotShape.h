#pragma once

#include <cstddef>
#include <map>
#include <vector>

namespace idgen {

struct IdSnapshot;

// The shape of a snapshot's item IDs as the IDs view compares it between two snapshots: ID
// lengths in tokens (eos not counted) and in words, the prefix trie's nodes and mean branching per
// depth (what the constrained search walks), and what the assignment had to resolve.
struct SnapshotShape {
    std::map<std::size_t, std::size_t> tokenLengths; // tokens -> items
    std::map<std::size_t, std::size_t> wordLengths;  // words -> items
    std::size_t trieDepth = 0;                       // tokens on the longest path, eos included
    std::vector<std::size_t> trieNodesPerDepth;      // depth 0 = root
    std::vector<double> trieBranchingPerDepth;       // children per inner node at each depth
    std::size_t trieNodes = 0;
    std::size_t collisionsResolved = 0;              // as the assignment recorded them
    std::size_t escalations = 0;
    std::size_t fallbacks = 0;
};

// Builds the snapshot's trie (T5's eos); throws an Error when two items share an ID.
SnapshotShape snapshotShape(const IdSnapshot &snapshot);

} // namespace idgen
