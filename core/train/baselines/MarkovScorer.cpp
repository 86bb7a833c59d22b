#include "train/baselines/MarkovScorer.h"

#include "train/baselines/PopularityScorer.h"

#include <ATen/ATen.h>

#include <map>

namespace idgen {

MarkovScorer::MarkovScorer(const std::vector<std::vector<std::uint32_t>> &train, std::size_t items,
                           c10::Device device)
    : m_items(items)
    , m_device(device)
{
    const at::Tensor pop = itemCounts(train, items);
    const double maxPop = items ? pop.max().item<double>() : 0.0;
    m_fill = (pop / (1.0 + maxPop)).to(device);

    std::vector<std::map<std::uint32_t, float>> successors(items);
    for (const auto &sequence : train)
        for (std::size_t i = 1; i < sequence.size(); ++i)
            successors[sequence[i - 1]][sequence[i]] += 1.0f;
    std::vector<std::int64_t> rowStart{0};
    std::vector<std::int64_t> columns;
    std::vector<float> counts;
    for (const auto &row : successors) {
        for (const auto &[next, count] : row) {
            columns.push_back(next);
            counts.push_back(count);
        }
        rowStart.push_back(static_cast<std::int64_t>(columns.size()));
    }
    const auto longs = at::TensorOptions().dtype(at::kLong);
    m_rowStart = at::tensor(rowStart, longs).to(device);
    m_columns = at::tensor(columns, longs).to(device);
    m_counts = at::tensor(counts, at::TensorOptions().dtype(at::kFloat)).to(device);
}

at::Tensor MarkovScorer::score(std::span<const SplitSample> samples)
{
    const auto rows = static_cast<std::int64_t>(samples.size());
    at::Tensor scores = m_fill.unsqueeze(0).expand({rows, -1}).contiguous();
    std::vector<std::int64_t> batchRows;
    std::vector<std::int64_t> lastItems;
    for (std::int64_t r = 0; r < rows; ++r)
        if (!samples[static_cast<std::size_t>(r)].history.empty()) {
            batchRows.push_back(r);
            lastItems.push_back(samples[static_cast<std::size_t>(r)].history.back());
        }
    if (lastItems.empty() || m_columns.numel() == 0)
        return scores;
    const auto longs = at::TensorOptions().dtype(at::kLong).device(m_device);
    const at::Tensor row = at::tensor(batchRows, at::TensorOptions().dtype(at::kLong)).to(m_device);
    const at::Tensor last = at::tensor(lastItems, at::TensorOptions().dtype(at::kLong)).to(m_device);
    // Gather each last item's CSR row: entry e of the flattened batch belongs to batch row
    // owner[e] and sits at start[owner[e]] + (e - first entry of that row).
    const at::Tensor start = m_rowStart.index_select(0, last);
    const at::Tensor lengths = m_rowStart.index_select(0, last + 1) - start;
    const at::Tensor owner = at::repeat_interleave(at::arange(last.size(0), longs), lengths);
    const at::Tensor firstEntry = lengths.cumsum(0) - lengths;
    const at::Tensor entry = at::arange(owner.size(0), longs) - firstEntry.index_select(0, owner) +
                             start.index_select(0, owner);
    scores.index_put_({row.index_select(0, owner), m_columns.index_select(0, entry)},
                      m_counts.index_select(0, entry), /*accumulate=*/true);
    return scores;
}

} // namespace idgen
