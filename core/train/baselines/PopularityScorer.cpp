#include "train/baselines/PopularityScorer.h"

#include "util/Error.h"

#include <ATen/ATen.h>

namespace idgen {

at::Tensor itemCounts(const std::vector<std::vector<std::uint32_t>> &train, std::size_t items)
{
    at::Tensor counts = at::zeros({static_cast<std::int64_t>(items)}, at::kFloat);
    float *count = counts.data_ptr<float>();
    for (const auto &sequence : train)
        for (const std::uint32_t item : sequence) {
            if (item >= items)
                throw Error("item index " + std::to_string(item) + " outside the catalog of " +
                            std::to_string(items));
            count[item] += 1.0f;
        }
    return counts;
}

PopularityScorer::PopularityScorer(const std::vector<std::vector<std::uint32_t>> &train, std::size_t items,
                                   c10::Device device)
    : m_items(items)
    , m_device(device)
    , m_counts(itemCounts(train, items).to(device))
{
}

at::Tensor PopularityScorer::score(std::span<const SplitSample> samples)
{
    return m_counts.unsqueeze(0).expand({static_cast<std::int64_t>(samples.size()), -1}).contiguous();
}

} // namespace idgen
