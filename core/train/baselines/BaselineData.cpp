#include "train/baselines/BaselineData.h"

#include "data/Dataset.h"

namespace idgen {

std::size_t BaselineSplit::trainTargets() const
{
    std::size_t targets = 0;
    for (const auto &sequence : train)
        targets += sequence.empty() ? 0 : sequence.size() - 1;
    return targets;
}

BaselineSplit baselineSplit(const Dataset &dataset, std::size_t maxHistory)
{
    BaselineSplit split;
    split.items = dataset.itemCount();
    split.train.reserve(dataset.userCount());
    for (std::size_t user = 0; user < dataset.userCount(); ++user) {
        const auto items = dataset.sequence(user);
        // items[:-2]: the validation and test items never reach training, nor the counts.
        const std::size_t trainLength = items.size() >= 2 ? items.size() - 2 : 0;
        split.train.emplace_back(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(trainLength));
        UserSplit samples = leaveOneOut(items, maxHistory);
        for (auto &sample : samples.valid)
            split.valid.push_back(std::move(sample));
        for (auto &sample : samples.test)
            split.test.push_back(std::move(sample));
    }
    return split;
}

} // namespace idgen
