#include "model/KvCache.h"

#include "util/Error.h"

namespace idgen {

void KvCache::clear()
{
    self.clear();
    cross.clear();
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
    apply(cross);
}

} // namespace idgen
