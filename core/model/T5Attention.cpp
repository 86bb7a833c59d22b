#include "model/T5Attention.h"

#include "util/Error.h"

#include <cmath>
#include <limits>

namespace idgen {

at::Tensor relativePositionBucket(const at::Tensor &relativePosition, bool bidirectional, std::int64_t numBuckets,
                                  std::int64_t maxDistance)
{
    at::Tensor buckets = at::zeros_like(relativePosition);
    at::Tensor distance;
    if (bidirectional) {
        numBuckets /= 2;
        buckets = buckets + (relativePosition > 0).to(at::kLong) * numBuckets;
        distance = relativePosition.abs();
    } else {
        distance = -relativePosition.clamp_max(0);
    }
    // Half of the buckets hold exact distances, the rest grow logarithmically up to maxDistance.
    const std::int64_t maxExact = numBuckets / 2;
    const at::Tensor isSmall = distance < maxExact;
    // log(0) = -inf for distance 0 is discarded by the where() below, as in HF.
    at::Tensor large = (at::log(distance.to(at::kFloat) / static_cast<double>(maxExact)) /
                        std::log(static_cast<double>(maxDistance) / static_cast<double>(maxExact)) *
                        static_cast<double>(numBuckets - maxExact))
                           .to(at::kLong) +
                       maxExact;
    large = large.clamp_max(numBuckets - 1);
    return buckets + at::where(isSmall, distance, large);
}

double maskedScore(c10::ScalarType dtype)
{
    switch (dtype) {
    case at::kDouble:
        return std::numeric_limits<double>::lowest();
    case at::kHalf:
        return -65504.0;
    case at::kBFloat16:
        return -3.3895313892515355e38;
    default:
        return static_cast<double>(std::numeric_limits<float>::lowest());
    }
}

T5Attention::T5Attention(const T5Config &config, bool hasRelativeBias, bool causal)
    : m_numHeads(config.numHeads)
    , m_dKv(config.dKv)
    , m_numBuckets(config.relativeAttentionNumBuckets)
    , m_maxDistance(config.relativeAttentionMaxDistance)
    , m_causal(causal)
    , m_dropout(config.dropoutRate)
{
    const auto linear = [](std::int64_t in, std::int64_t out) {
        return torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(false));
    };
    const std::int64_t inner = config.innerDim();
    q = register_module("q", linear(config.dModel, inner));
    k = register_module("k", linear(config.dModel, inner));
    v = register_module("v", linear(config.dModel, inner));
    o = register_module("o", linear(inner, config.dModel));
    if (hasRelativeBias)
        relative_attention_bias = register_module(
            "relative_attention_bias", torch::nn::Embedding(config.relativeAttentionNumBuckets, config.numHeads));
    // T5Model::resetParameters draws the HF initialisation once for the whole model.
}

void T5Attention::resetParameters(const T5Config &config)
{
    // HF's T5PreTrainedModel._init_weights: the query's std carries the 1/sqrt(d_kv) that T5
    // leaves out of the attention scores.
    at::NoGradGuard noGrad;
    const double f = config.initializerFactor;
    const double dModel = static_cast<double>(config.dModel);
    q->weight.normal_(0.0, f / std::sqrt(dModel * static_cast<double>(config.dKv)));
    k->weight.normal_(0.0, f / std::sqrt(dModel));
    v->weight.normal_(0.0, f / std::sqrt(dModel));
    o->weight.normal_(0.0, f / std::sqrt(static_cast<double>(config.innerDim())));
    if (hasRelativeBias())
        relative_attention_bias->weight.normal_(0.0, f / std::sqrt(dModel));
}

at::Tensor T5Attention::splitHeads(const at::Tensor &x) const
{
    // [B, L, H * d_kv] -> [B, H, L, d_kv]
    return x.view({x.size(0), x.size(1), m_numHeads, m_dKv}).transpose(1, 2);
}

at::Tensor T5Attention::computeBias(std::int64_t queryLength, std::int64_t keyLength, std::int64_t queryOffset,
                                    const c10::Device &device) const
{
    if (!hasRelativeBias())
        throw Error("T5Attention::computeBias: this attention layer has no relative_attention_bias");
    const auto longs = at::TensorOptions().dtype(at::kLong).device(device);
    const at::Tensor queryPosition = at::arange(queryOffset, queryOffset + queryLength, longs).unsqueeze(1);
    const at::Tensor keyPosition = at::arange(keyLength, longs).unsqueeze(0);
    const at::Tensor buckets =
        relativePositionBucket(keyPosition - queryPosition, !m_causal, m_numBuckets, m_maxDistance);
    // [q, k, H] -> [1, H, q, k]
    return at::embedding(relative_attention_bias->weight, buckets).permute({2, 0, 1}).unsqueeze(0);
}

at::Tensor T5Attention::attend(const at::Tensor &hidden, const at::Tensor &key, const at::Tensor &value,
                               const at::Tensor &bias, std::int64_t beamsPerSource)
{
    at::Tensor query = splitHeads(q->forward(hidden)); // [B * g, H, T, d_kv]
    const std::int64_t rows = hidden.size(0);
    const std::int64_t length = hidden.size(1);
    if (beamsPerSource > 1) {
        // The g beams of a source attend to the same keys: fold them into the query length so one
        // batched product per source serves them all ([B, H, g * T, d_kv]).
        if (rows % beamsPerSource != 0 || rows / beamsPerSource != key.size(0))
            throw Error("T5 cross-attention: " + std::to_string(rows) + " decoder rows do not make " +
                        std::to_string(beamsPerSource) + " beams for each of " + std::to_string(key.size(0)) +
                        " sources");
        query = query.view({key.size(0), beamsPerSource, m_numHeads, length, m_dKv})
                    .transpose(1, 2)
                    .reshape({key.size(0), m_numHeads, beamsPerSource * length, m_dKv});
    }
    at::Tensor scores = at::matmul(query, key.transpose(-1, -2)); // [B, H, T, S], unscaled
    if (bias.defined())
        scores = scores + bias;
    // Softmax in fp32 even under bf16 autocast (HF does the same), then back for the value product.
    at::Tensor weights = at::softmax(scores.to(at::kFloat), -1).to(value.scalar_type());
    weights = at::dropout(weights, m_dropout, is_training());
    at::Tensor context = at::matmul(weights, value); // [B, H, T, d_kv] (or [B, H, g * T, d_kv])
    if (beamsPerSource > 1)
        context = context.view({key.size(0), m_numHeads, beamsPerSource, length, m_dKv})
                      .transpose(1, 2)
                      .reshape({rows, m_numHeads, length, m_dKv});
    return o->forward(context.transpose(1, 2).reshape({rows, length, m_numHeads * m_dKv}));
}

at::Tensor T5Attention::selfAttend(const at::Tensor &hidden, const at::Tensor &bias, AttentionCache *cache)
{
    at::Tensor key = splitHeads(k->forward(hidden));
    at::Tensor value = splitHeads(v->forward(hidden));
    if (cache) {
        if (!cache->empty()) {
            key = at::cat({cache->key, key}, 2);
            value = at::cat({cache->value, value}, 2);
        }
        cache->key = key;
        cache->value = value;
    }
    return attend(hidden, key, value, bias);
}

at::Tensor T5Attention::crossAttend(const at::Tensor &hidden, const at::Tensor &encoderHidden, const at::Tensor &bias,
                                    AttentionCache *cache, std::int64_t beamsPerSource)
{
    at::Tensor key;
    at::Tensor value;
    if (cache && !cache->empty()) {
        key = cache->key;
        value = cache->value;
    } else {
        if (!encoderHidden.defined())
            throw Error("T5 decoder: cross-attention needs the encoder output (none given, none cached)");
        key = splitHeads(k->forward(encoderHidden));
        value = splitHeads(v->forward(encoderHidden));
        if (cache) {
            cache->key = key;
            cache->value = value;
        }
    }
    return attend(hidden, key, value, bias, beamsPerSource);
}

} // namespace idgen
