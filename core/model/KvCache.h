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
    // Decoder rows per encoder row. Beam search sets it to the beam count after the first step so
    // that all beams of a source share one copy of its cross-attention keys/values (the published
    // code copies the encoder output once per beam, which multiplies that memory and work).
    std::int64_t beamsPerSource = 1;

    bool empty() const { return self.empty() || self.front().empty(); }
    // Decoder positions already consumed (the position of the next token).
    std::int64_t length() const { return empty() ? 0 : self.front().key.size(2); }
    std::int64_t batchSize() const { return empty() ? 0 : self.front().key.size(0); }
    void clear();
    // Beam search: row b of the new cache is row beamIndices[b] of the old one (index_select
    // on the batch dimension, beamIndices a 1-D int64 tensor on the cache's device). With
    // beamsPerSource > 1 only the self-attention rows move: the indices must keep every row with
    // its own source (beams are reordered within a user, never across users).
    void reorder(const at::Tensor &beamIndices);
    // Keeps the given sources (encoder rows) and their beams, e.g. to drop finished users.
    void selectSources(const at::Tensor &sourceIndices);
};

} // namespace idgen
