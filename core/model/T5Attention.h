#pragma once

// Internal to the T5 implementation (included by the model's .cpp files, not by its users).

#include "model/KvCache.h"
#include "model/T5Config.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>

namespace idgen {

// Hugging Face's T5Attention._relative_position_bucket, op for op (float32 log, truncation to
// int64), so that pretrained relative_attention_bias tables index the same buckets.
// relativePosition = key position - query position (int64). Bidirectional (encoder): half of the
// buckets for keys after the query. Causal (decoder): keys after the query all fall in bucket 0.
at::Tensor relativePositionBucket(const at::Tensor &relativePosition, bool bidirectional, std::int64_t numBuckets,
                                  std::int64_t maxDistance);

// The most negative finite value of a floating dtype: added to the scores of masked keys. Finite
// (not -inf) so that a row with every key masked gives a uniform softmax instead of NaN.
double maskedScore(c10::ScalarType dtype);

// Multi-head attention as in T5: bias-free projections, no 1/sqrt(d_kv) scaling (T5 folds it into
// the initialisation), an additive bias (relative position + masks) on the scores, softmax in fp32.
class T5Attention : public torch::nn::Module {
public:
    T5Attention(const T5Config &config, bool hasRelativeBias, bool causal);

    // hidden [B, T, D]; bias [1|B, 1|H, T, S] (or undefined) is added to the scores. With a cache,
    // the new keys/values are appended to it and the queries also see all cached positions.
    at::Tensor selfAttend(const at::Tensor &hidden, const at::Tensor &bias, AttentionCache *cache);
    // Keys/values from the encoder output [B, S, D]; with a filled cache they come from the cache
    // (computed once per encoder output) and encoderHidden is not read. hidden holds
    // beamsPerSource consecutive rows per encoder row ([B * beamsPerSource, T, D]).
    at::Tensor crossAttend(const at::Tensor &hidden, const at::Tensor &encoderHidden, const at::Tensor &bias,
                           AttentionCache *cache, std::int64_t beamsPerSource = 1);

    // Relative-position bias [1, H, queryLength, keyLength] for queries at positions
    // queryOffset .. queryOffset + queryLength - 1 and keys at 0 .. keyLength - 1.
    at::Tensor computeBias(std::int64_t queryLength, std::int64_t keyLength, std::int64_t queryOffset,
                           const c10::Device &device) const;
    bool hasRelativeBias() const { return !relative_attention_bias.is_empty(); }
    void resetParameters(const T5Config &config);

    torch::nn::Linear q{nullptr}, k{nullptr}, v{nullptr}, o{nullptr};
    torch::nn::Embedding relative_attention_bias{nullptr};

private:
    at::Tensor attend(const at::Tensor &hidden, const at::Tensor &key, const at::Tensor &value,
                      const at::Tensor &bias, std::int64_t beamsPerSource = 1);
    at::Tensor splitHeads(const at::Tensor &x) const;

    std::int64_t m_numHeads;
    std::int64_t m_dKv;
    std::int64_t m_numBuckets;
    std::int64_t m_maxDistance;
    bool m_causal;
    double m_dropout;
};

} // namespace idgen
