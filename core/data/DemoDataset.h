#pragma once

#include "data/Dataset.h"

#include <cstdint>

namespace idgen {

// The built-in demo catalog: a deterministic, realistic shop (a dozen categories, product
// titles, brands and descriptions composed from per-category vocabularies) and users whose
// sequences follow category affinities and within-category transitions, so a model can learn
// from it and its textual IDs read like product names. Same options, same dataset, byte for byte.
struct DemoOptions {
    std::uint64_t seed = 20240714;
    int items = 3000;
    int users = 4000;
    int minSequence = 5;
    int maxSequence = 30;
};

Dataset generateDemoDataset(const DemoOptions &options = {});

} // namespace idgen
