#pragma once

#include "data/Dataset.h"

#include <cstdint>
#include <optional>

namespace idgen {

// The built-in demo catalog, in two versions; same options, same dataset, byte for byte.
//
// Version 2, "teaching" (the default): a small shop (640 items, 1400 users, 5-15 items each)
// whose sequential structure is carried by the item text. Every item is one step of one brand's
// product line ("Silkara Argan Shampoo" -> "Silkara Argan Conditioner" -> "Silkara Argan Hair
// Mask"), users keep to one or two brands and walk a line's routine, refills and seasons, with
// 20% random next items; a model that reads title IDs can learn it on a laptop CPU in minutes.
// See datasets/demo.md for the rules and their probabilities.
//
// Version 1, "classic": a larger, realistic shop (3000 items, 4000 users, 5-30 items each, a
// dozen categories) whose next items are item-specific transitions the text does not reveal.
//
// A size left unset takes its version's default (demoSizes), so `version = 1` alone gives the
// classic dataset exactly as it was before version 2 existed, and a caller that sets a size gets
// that size in either version.
struct DemoOptions {
    std::uint64_t seed = 20240714;
    std::optional<int> items;
    std::optional<int> users;
    std::optional<int> minSequence;
    std::optional<int> maxSequence;
    int version = 2;
};

// The sizes a generator runs with: the options' own, or their version's defaults.
struct DemoSizes {
    int items = 0;
    int users = 0;
    int minSequence = 0;
    int maxSequence = 0;
};

// Throws an Error for a version other than 1 or 2.
DemoSizes demoSizes(const DemoOptions &options);

Dataset generateDemoDataset(const DemoOptions &options = {});

} // namespace idgen
