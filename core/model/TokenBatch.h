#pragma once

#include <ATen/ATen.h>

#include <algorithm>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace idgen {

// Token sequences as one right-padded [rows, longest] int64 tensor and its 0/1 mask, on a device.
template <typename Token>
std::pair<at::Tensor, at::Tensor> padTokens(std::span<const std::vector<Token>> rows, std::int64_t padId,
                                            const c10::Device &device)
{
    std::size_t width = 1;
    for (const auto &row : rows)
        width = std::max(width, row.size());
    std::vector<std::int64_t> ids(rows.size() * width, padId);
    std::vector<std::int64_t> mask(ids.size(), 0);
    for (std::size_t r = 0; r < rows.size(); ++r) {
        std::copy(rows[r].begin(), rows[r].end(), ids.begin() + static_cast<std::ptrdiff_t>(r * width));
        std::fill_n(mask.begin() + static_cast<std::ptrdiff_t>(r * width), rows[r].size(), 1);
    }
    const std::vector<std::int64_t> shape{static_cast<std::int64_t>(rows.size()), static_cast<std::int64_t>(width)};
    return {at::tensor(ids, at::kLong).view(shape).to(device), at::tensor(mask, at::kLong).view(shape).to(device)};
}

} // namespace idgen
