#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace idgen {

// One training or evaluation example: the history (oldest first, at most maxHistory items) and
// the item to predict.
struct SplitSample {
    std::vector<std::uint32_t> history;
    std::uint32_t target = 0;
};

// The leave-one-out split of method.md section 3 for one user's time-ordered items:
//   train: every prefix of items[:-2] of length >= 1 predicts the next item of items[:-2];
//   valid: items[:-2] (last maxHistory) predicts items[-2];
//   test:  items[:-1] (last maxHistory, includes the validation item) predicts items[-1].
// A user with fewer than 3 items has no validation sample; with fewer than 2, no test sample.
struct UserSplit {
    std::vector<SplitSample> train;
    std::vector<SplitSample> valid; // zero or one
    std::vector<SplitSample> test;  // zero or one
};

UserSplit leaveOneOut(std::span<const std::uint32_t> items, std::size_t maxHistory = 20);

} // namespace idgen
