#include "train/TrainingSamples.h"

#include "data/Dataset.h"

namespace idgen {

std::vector<TrainingSample> trainingSamples(const Dataset &dataset, std::size_t maxHistory)
{
    std::vector<TrainingSample> samples;
    for (std::size_t user = 0; user < dataset.userCount(); ++user) {
        const std::uint64_t offset = dataset.sequenceOffsets[user];
        const std::size_t length = dataset.sequence(user).size();
        // items[:-2] is the training part; position p (>= 1) of it is predicted from items[:p].
        for (std::size_t p = 1; p + 2 < length; ++p) {
            const std::size_t history = std::min(p, maxHistory);
            samples.push_back({static_cast<std::uint32_t>(user), dataset.sequenceItems[offset + p],
                               offset + p - history, static_cast<std::uint32_t>(history)});
        }
    }
    return samples;
}

std::span<const std::uint32_t> sampleHistory(const Dataset &dataset, const TrainingSample &sample)
{
    return {dataset.sequenceItems.data() + sample.historyBegin, sample.historyLength};
}

} // namespace idgen
