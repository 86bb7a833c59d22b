#include "ids/semantic/SemanticCodes.h"

#include "util/Error.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <map>

namespace idgen {
namespace {

std::vector<std::vector<std::int64_t>> rowsOf(const at::Tensor &codes)
{
    if (codes.dim() != 2)
        throw Error("semantic codes must be a matrix [items, levels]");
    const at::Tensor values = codes.to(at::kLong).contiguous();
    const std::int64_t *data = values.data_ptr<std::int64_t>();
    const std::int64_t levels = values.size(1);
    std::vector<std::vector<std::int64_t>> rows;
    rows.reserve(static_cast<std::size_t>(values.size(0)));
    for (std::int64_t i = 0; i < values.size(0); ++i)
        rows.emplace_back(data + i * levels, data + (i + 1) * levels);
    return rows;
}

} // namespace

std::vector<int> collisionCodes(const at::Tensor &codes)
{
    std::map<std::vector<std::int64_t>, int> seen;
    std::vector<int> extra;
    for (auto &row : rowsOf(codes))
        extra.push_back(seen[std::move(row)]++);
    return extra;
}

double collisionRate(const at::Tensor &codes)
{
    const std::vector<int> extra = collisionCodes(codes);
    if (extra.empty())
        return 0.0;
    const auto repeated = std::count_if(extra.begin(), extra.end(), [](int code) { return code > 0; });
    return static_cast<double>(repeated) / static_cast<double>(extra.size());
}

std::vector<CodeUsage> codeUsagePerLevel(const at::Tensor &codes, std::int64_t codesPerLevel)
{
    std::vector<CodeUsage> usage;
    const at::Tensor values = codes.to(at::kInt).contiguous();
    for (std::int64_t level = 0; level < values.size(1); ++level) {
        const at::Tensor column = values.select(1, level).contiguous();
        usage.push_back(CodeUsage::of(static_cast<int>(level + 1), static_cast<std::size_t>(codesPerLevel),
                                      {column.data_ptr<int>(), static_cast<std::size_t>(column.numel())}));
    }
    return usage;
}

std::string semanticCodeToken(int level, std::int64_t code)
{
    if (level < 0 || level >= 26)
        throw Error("semantic codes have at most 26 levels (a to z)");
    return "<" + std::string(1, static_cast<char>('a' + level)) + "_" + std::to_string(code) + ">";
}

} // namespace idgen
