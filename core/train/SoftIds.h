#pragma once

#include <ATen/ATen.h>

#include <cstdint>
#include <span>
#include <vector>

namespace idgen {

class T5Model;

// How a step's distribution over the vocabulary becomes a vector: the paper's softmax mix, or
// the published code's log-softmax mix (weights <= 0), kept for reproduction.
enum class SoftMix { Softmax, LogSoftmax };

// The ID generator's greedy IDs with gradients (method.md section 1, the soft-embedding trick):
// for every source (an item's text) at most maxSteps decoding steps, all sources in one batch;
// each step's distribution over the first `vocab` ids times the recommender's input-embedding
// table gives one vector per ID token. The generator feeds its argmax token back (no gradient
// through the choice), so an item's soft ID has as many vectors as its greedy ID has tokens.
struct SoftIds {
    at::Tensor vectors;               // [sum of lengths, d_model], differentiable in the generator
    std::vector<std::int64_t> first;  // per source: its first row in vectors
    std::vector<std::int64_t> length; // per source: tokens before eos (0: an empty ID)
    std::vector<std::vector<int>> tokens; // per source: the greedy tokens themselves
};

SoftIds generateSoftIds(T5Model &generator, const at::Tensor &embeddingTable, std::span<const std::vector<int>> sources,
                        std::int64_t vocab, int maxSteps, SoftMix mix);

// Rows of [embeddingTable; soft vectors] as a batch of input embeddings (right-padded with the
// pad id's row) and its 0/1 mask: the prompt's token embeddings with soft IDs spliced in.
std::pair<at::Tensor, at::Tensor> spliceRows(const at::Tensor &embeddingTable, const at::Tensor &softVectors,
                                             std::span<const std::vector<std::int64_t>> rows, std::int64_t padId);

} // namespace idgen
