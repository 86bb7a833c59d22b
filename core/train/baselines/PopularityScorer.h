#pragma once

#include "train/baselines/BaselineScorer.h"

#include <cstdint>
#include <vector>

namespace idgen {

// `pop`: every history gets the same ranking, items by how often they occur in the training
// split (items[:-2] of every user, each occurrence counted).
class PopularityScorer final : public BaselineScorer {
public:
    PopularityScorer(const std::vector<std::vector<std::uint32_t>> &train, std::size_t items, c10::Device device);

    at::Tensor score(std::span<const SplitSample> samples) override;
    std::size_t itemCount() const override { return m_items; }
    c10::Device device() const override { return m_device; }

    // [items] float32 occurrence counts on the device.
    const at::Tensor &counts() const { return m_counts; }

private:
    std::size_t m_items;
    c10::Device m_device;
    at::Tensor m_counts;
};

// Occurrences of each item in the training sequences, [items] float32 on the CPU.
at::Tensor itemCounts(const std::vector<std::vector<std::uint32_t>> &train, std::size_t items);

} // namespace idgen
