#pragma once

#include "train/baselines/BaselineScorer.h"

#include <cstdint>
#include <vector>

namespace idgen {

// `markov`: a first-order item-to-item model. Score of item j after a history ending in item i =
// count(i -> j) over consecutive pairs inside the training sequences + pop(j) / (1 + max pop), so
// popularity only orders the items that the transitions tie (and fills in after a last item that
// was never followed by anything). An empty history falls back to popularity alone.
class MarkovScorer final : public BaselineScorer {
public:
    MarkovScorer(const std::vector<std::vector<std::uint32_t>> &train, std::size_t items, c10::Device device);

    at::Tensor score(std::span<const SplitSample> samples) override;
    std::size_t itemCount() const override { return m_items; }
    c10::Device device() const override { return m_device; }

    std::size_t transitions() const { return static_cast<std::size_t>(m_columns.numel()); }

private:
    std::size_t m_items;
    c10::Device m_device;
    at::Tensor m_fill;    // [items] pop / (1 + max pop), below 1 so that one transition outweighs it
    // The transition counts as CSR on the device: row i's successors are columns[rowStart[i] ..
    // rowStart[i + 1]) with their counts. A dense items x items table would not fit (12k items:
    // 580 MB), and a batch only needs the rows of its last items.
    at::Tensor m_rowStart; // [items + 1] int64
    at::Tensor m_columns;  // [pairs] int64
    at::Tensor m_counts;   // [pairs] float32
};

} // namespace idgen
