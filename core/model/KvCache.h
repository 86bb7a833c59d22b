#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace idgen {

// Keys and values of one attention module, [batch, heads, length, d_kv].
struct AttentionCache {
    at::Tensor key;
    at::Tensor value;
    bool empty() const { return !key.defined(); }
};

// What incremental decoding keeps between steps, one entry per decoder block: the self-attention
// keys/values of every position decoded so far (grown by one step at a time) and the
// cross-attention keys/values of the encoder output (computed at the first step, then reused).
// Autograd flows through it, so greedy decoding with gradients may use it too.
class KvCache {
public:
    std::vector<AttentionCache> self;
    std::vector<AttentionCache> cross;

    bool empty() const { return self.empty() || self.front().empty(); }
    // Decoder positions already consumed (the position of the next token).
    std::int64_t length() const { return empty() ? 0 : self.front().key.size(2); }
    std::int64_t batchSize() const { return empty() ? 0 : self.front().key.size(0); }
    void clear();
    // Beam search: row b of the new cache is row beamIndices[b] of the old one (index_select
    // on the batch dimension, beamIndices a 1-D int64 tensor on the cache's device).
    void reorder(const at::Tensor &beamIndices);
};

} // namespace idgen
