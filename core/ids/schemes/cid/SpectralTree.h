#pragma once

#include "ids/schemes/cid/CooccurrenceGraph.h"
#include "jobs/JobEvents.h"

#include <cstdint>
#include <vector>

namespace idgen {

struct SpectralTreeOptions {
    int clusters = 16;        // k: clusters per level
    std::size_t leafSize = 64; // a cluster of at most this many items is not split again
    int iterations = 40;      // subspace iterations of the eigen-solve
    std::uint64_t seed = 1;
};

// Each item's place in the tree: its cluster at each level (0-based, renumbered per parent in
// order of their smallest item) and its position inside its leaf (in item order).
struct SpectralTree {
    std::vector<std::vector<int>> paths; // per item
    std::vector<int> leafPosition;       // per item
    std::size_t leaves = 0;
    std::size_t forcedSplits = 0; // clusters k-means could not split (e.g. items without links),
                                  // cut into k parts in item order instead
    std::size_t depth = 0;        // longest path
    double eigenSeconds = 0.0;
    double kmeansSeconds = 0.0;
};

// Recursive spectral clustering (CID): the items of a cluster larger than leafSize are embedded
// with the top-k eigenvectors of the cluster's normalised adjacency D^-1/2 A D^-1/2 (subspace
// iteration on (M + I) / 2 with LibTorch sparse products, then Rayleigh-Ritz), the rows
// normalised (Ng, Jordan and Weiss), and split by seeded k-means++ / Lloyd. Deterministic for a
// seed. Progress: the fraction of items placed in leaves.
SpectralTree buildSpectralTree(const CooccurrenceGraph &graph, const SpectralTreeOptions &options, JobEvents &events,
                               StopToken stop);

} // namespace idgen
