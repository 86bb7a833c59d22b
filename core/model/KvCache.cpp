#include "model/KvCache.h"

#include "util/Error.h"

#include <ATen/ATen.h>

namespace idgen {

void KvCache::clear()
{
    self.clear();
    cross.clear();
    beamsPerSource = 1;
}

void KvCache::reorder(const at::Tensor &beamIndices)
{
    if (empty())
        return;
    if (beamIndices.dim() != 1)
        throw Error("KvCache::reorder: beam indices must be a 1-D tensor");
    const auto index = beamIndices.to(self.front().key.device(), at::kLong);
    const auto apply = [&](std::vector<AttentionCache> &caches) {
        for (auto &c : caches) {
            if (c.empty())
                continue;
            c.key = c.key.index_select(0, index);
            c.value = c.value.index_select(0, index);
        }
    };
    apply(self);
    if (beamsPerSource == 1)
        apply(cross);
}

void KvCache::selectSources(const at::Tensor &sourceIndices)
{
    if (empty())
        return;
    const auto device = self.front().key.device();
    const auto sources = sourceIndices.to(device, at::kLong);
    const auto rows = (sources.unsqueeze(1) * beamsPerSource +
                       at::arange(beamsPerSource, at::TensorOptions().dtype(at::kLong).device(device)).unsqueeze(0))
                          .reshape({-1});
    for (auto &c : self) {
        if (!c.empty()) {
            c.key = c.key.index_select(0, rows);
            c.value = c.value.index_select(0, rows);
        }
    }
    for (auto &c : cross) {
        if (!c.empty()) {
            c.key = c.key.index_select(0, sources);
            c.value = c.value.index_select(0, sources);
        }
    }
}

} // namespace idgen
