#pragma once

#include "data/DemoCommon.h"
#include "data/DemoDataset.h"

namespace idgen::demo {

// Version 2 of the demo dataset, the teaching shop (datasets/demo.md has the rules): ten
// departments, each a routine of four steps; every item is one step of one product line of one
// brand, and users walk the lines, so the item text tells the next item. Sizes are validated by
// the caller; throws an Error for more items than the vocabulary can name (teachingCapacity).
DemoDraft draftTeachingDemo(std::uint64_t seed, const DemoSizes &sizes);

// The most items the teaching catalog holds: departments x brands x line words x steps.
int teachingCapacity();

} // namespace idgen::demo
