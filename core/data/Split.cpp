#include "data/Split.h"

#include <algorithm>

namespace idgen {
namespace {

SplitSample sample(std::span<const std::uint32_t> items, std::size_t targetPosition, std::size_t maxHistory)
{
    const std::size_t first = targetPosition > maxHistory ? targetPosition - maxHistory : 0;
    return {std::vector<std::uint32_t>(items.begin() + static_cast<std::ptrdiff_t>(first),
                                       items.begin() + static_cast<std::ptrdiff_t>(targetPosition)),
            items[targetPosition]};
}

} // namespace

UserSplit leaveOneOut(std::span<const std::uint32_t> items, std::size_t maxHistory)
{
    UserSplit split;
    const std::size_t n = items.size();
    if (n >= 2)
        split.test.push_back(sample(items, n - 1, maxHistory));
    if (n >= 3)
        split.valid.push_back(sample(items, n - 2, maxHistory));
    // Training targets are positions 1 .. n-3 (inside items[:-2]).
    for (std::size_t target = 1; target + 2 < n; ++target)
        split.train.push_back(sample(items, target, maxHistory));
    return split;
}

} // namespace idgen
