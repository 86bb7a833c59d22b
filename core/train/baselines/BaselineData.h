#pragma once

#include "data/Split.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace idgen {

struct Dataset;

// What the baselines learn from and are judged on, from one dataset's leave-one-out split
// (method.md section 3): each user's training sequence items[:-2] (every training prefix and its
// target lie inside it), and the valid and test samples of leaveOneOut with the given history
// length (the SASRec window; the count-based models read only the last item).
struct BaselineSplit {
    std::size_t items = 0;
    std::vector<std::vector<std::uint32_t>> train; // one per user, possibly empty
    std::vector<SplitSample> valid;
    std::vector<SplitSample> test;

    // Training targets: every item of a training sequence but its first.
    std::size_t trainTargets() const;
};

BaselineSplit baselineSplit(const Dataset &dataset, std::size_t maxHistory);

} // namespace idgen
