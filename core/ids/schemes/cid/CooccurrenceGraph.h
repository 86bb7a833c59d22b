#pragma once

#include "data/Dataset.h"

#include <cstdint>
#include <span>
#include <vector>

namespace idgen {

// The item co-occurrence graph of the training split (CID, method.md section 5): two items are
// linked with weight = how often they appear together in a user's items[:-2] (within `window`
// positions of each other; 0: anywhere in it). The validation and test items (the last two of
// each user) are left out, so no evaluation item shapes the IDs. Symmetric, no self-loops, CSR.
struct CooccurrenceGraph {
    std::size_t items = 0;
    std::vector<std::uint64_t> offsets; // items + 1
    std::vector<std::uint32_t> neighbours;
    std::vector<float> weights;

    static CooccurrenceGraph ofTrainingSplit(const Dataset &dataset, std::size_t window);
    std::size_t edgeCount() const { return neighbours.size() / 2; }
    std::span<const std::uint32_t> neighboursOf(std::size_t item) const
    {
        return {neighbours.data() + offsets[item], offsets[item + 1] - offsets[item]};
    }
    std::size_t isolatedItems() const;
};

} // namespace idgen
