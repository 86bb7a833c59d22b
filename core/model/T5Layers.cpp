#include "model/T5Layers.h"

#include "util/Error.h"

#include <cmath>

namespace idgen {

T5LayerNorm::T5LayerNorm(std::int64_t dim, double eps)
    : m_eps(eps)
{
    weight = register_parameter("weight", at::ones({dim}));
}

void T5LayerNorm::resetParameters()
{
    at::NoGradGuard noGrad;
    weight.fill_(1.0);
}

at::Tensor T5LayerNorm::forward(const at::Tensor &x)
{
    const at::Tensor variance = x.to(at::kFloat).pow(2).mean(-1, true);
    at::Tensor y = x * at::rsqrt(variance + m_eps);
    // A half-precision model keeps half-precision activations (HF); under autocast the weight is
    // float32 and so is the result.
    if (weight.scalar_type() == at::kHalf || weight.scalar_type() == at::kBFloat16)
        y = y.to(weight.scalar_type());
    return weight * y;
}

T5DenseActDense::T5DenseActDense(const T5Config &config)
    : m_act(config.denseActFn())
    , m_dropout(config.dropoutRate)
{
    const auto linear = [](std::int64_t in, std::int64_t out) {
        return torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(false));
    };
    if (config.isGatedAct()) {
        wi_0 = register_module("wi_0", linear(config.dModel, config.dFf));
        wi_1 = register_module("wi_1", linear(config.dModel, config.dFf));
    } else {
        wi = register_module("wi", linear(config.dModel, config.dFf));
    }
    wo = register_module("wo", linear(config.dFf, config.dModel));
}

void T5DenseActDense::resetParameters(const T5Config &config)
{
    at::NoGradGuard noGrad;
    const double f = config.initializerFactor;
    const double inStd = f / std::sqrt(static_cast<double>(config.dModel));
    if (!wi.is_empty())
        wi->weight.normal_(0.0, inStd);
    if (!wi_0.is_empty()) {
        wi_0->weight.normal_(0.0, inStd);
        wi_1->weight.normal_(0.0, inStd);
    }
    wo->weight.normal_(0.0, f / std::sqrt(static_cast<double>(config.dFf)));
}

at::Tensor T5DenseActDense::activate(const at::Tensor &x) const
{
    if (m_act == "relu")
        return at::relu(x);
    if (m_act == "gelu_new")
        return at::gelu(x, "tanh"); // HF's NewGELUActivation, the tanh approximation
    if (m_act == "gelu")
        return at::gelu(x);
    return at::silu(x);
}

at::Tensor T5DenseActDense::forward(const at::Tensor &x)
{
    at::Tensor h = wi.is_empty() ? activate(wi_0->forward(x)) * wi_1->forward(x) : activate(wi->forward(x));
    h = at::dropout(h, m_dropout, is_training());
    return wo->forward(h);
}

T5LayerSelfAttention::T5LayerSelfAttention(const T5Config &config, bool hasRelativeBias, bool causal)
    : m_dropout(config.dropoutRate)
{
    SelfAttention = register_module("SelfAttention", std::make_shared<T5Attention>(config, hasRelativeBias, causal));
    layer_norm = register_module("layer_norm", std::make_shared<T5LayerNorm>(config.dModel, config.layerNormEpsilon));
}

at::Tensor T5LayerSelfAttention::forward(const at::Tensor &x, const at::Tensor &bias, AttentionCache *cache)
{
    const at::Tensor attended = SelfAttention->selfAttend(layer_norm->forward(x), bias, cache);
    return x + at::dropout(attended, m_dropout, is_training());
}

T5LayerCrossAttention::T5LayerCrossAttention(const T5Config &config)
    : m_dropout(config.dropoutRate)
{
    EncDecAttention = register_module("EncDecAttention", std::make_shared<T5Attention>(config, false, false));
    layer_norm = register_module("layer_norm", std::make_shared<T5LayerNorm>(config.dModel, config.layerNormEpsilon));
}

at::Tensor T5LayerCrossAttention::forward(const at::Tensor &x, const at::Tensor &encoderHidden, const at::Tensor &bias,
                                          AttentionCache *cache, std::int64_t beamsPerSource)
{
    const at::Tensor attended =
        EncDecAttention->crossAttend(layer_norm->forward(x), encoderHidden, bias, cache, beamsPerSource);
    return x + at::dropout(attended, m_dropout, is_training());
}

T5LayerFF::T5LayerFF(const T5Config &config)
    : m_dropout(config.dropoutRate)
{
    DenseReluDense = register_module("DenseReluDense", std::make_shared<T5DenseActDense>(config));
    layer_norm = register_module("layer_norm", std::make_shared<T5LayerNorm>(config.dModel, config.layerNormEpsilon));
}

at::Tensor T5LayerFF::forward(const at::Tensor &x)
{
    return x + at::dropout(DenseReluDense->forward(layer_norm->forward(x)), m_dropout, is_training());
}

T5Block::T5Block(const T5Config &config, bool isDecoder, bool hasRelativeBias)
{
    layer = register_module("layer", torch::nn::ModuleList());
    selfAttention = std::make_shared<T5LayerSelfAttention>(config, hasRelativeBias, isDecoder);
    layer->push_back(selfAttention);
    if (isDecoder) {
        crossAttention = std::make_shared<T5LayerCrossAttention>(config);
        layer->push_back(crossAttention);
    }
    feedForward = std::make_shared<T5LayerFF>(config);
    layer->push_back(feedForward);
}

at::Tensor T5Block::forward(const at::Tensor &x, const at::Tensor &selfBias, const at::Tensor &encoderHidden,
                            const at::Tensor &crossBias, AttentionCache *selfCache, AttentionCache *crossCache,
                            std::int64_t beamsPerSource)
{
    at::Tensor h = selfAttention->forward(x, selfBias, selfCache);
    if (crossAttention)
        h = crossAttention->forward(h, encoderHidden, crossBias, crossCache, beamsPerSource);
    return feedForward->forward(h);
}

T5Stack::T5Stack(const T5Config &config, bool isDecoder)
    : m_isDecoder(isDecoder)
    , m_dropout(config.dropoutRate)
{
    const std::int64_t count = isDecoder ? config.numDecoderLayers : config.numLayers;
    block = register_module("block", torch::nn::ModuleList());
    for (std::int64_t i = 0; i < count; ++i) {
        // Only block 0 owns a relative_attention_bias table; its bias is shared by all blocks.
        auto b = std::make_shared<T5Block>(config, isDecoder, i == 0);
        block->push_back(b);
        m_blocks.push_back(b);
    }
    final_layer_norm =
        register_module("final_layer_norm", std::make_shared<T5LayerNorm>(config.dModel, config.layerNormEpsilon));
}

void T5Stack::resetParameters(const T5Config &config)
{
    for (const auto &b : m_blocks) {
        b->selfAttention->SelfAttention->resetParameters(config);
        b->selfAttention->layer_norm->resetParameters();
        if (b->crossAttention) {
            b->crossAttention->EncDecAttention->resetParameters(config);
            b->crossAttention->layer_norm->resetParameters();
        }
        b->feedForward->DenseReluDense->resetParameters(config);
        b->feedForward->layer_norm->resetParameters();
    }
    final_layer_norm->resetParameters();
}

at::Tensor additivePaddingMask(const at::Tensor &mask, c10::ScalarType dtype)
{
    const at::Tensor masked = (mask == 0).view({mask.size(0), 1, 1, mask.size(1)});
    return at::zeros(masked.sizes(), at::TensorOptions().dtype(dtype).device(mask.device()))
        .masked_fill(masked, maskedScore(dtype));
}

at::Tensor T5Stack::forward(const at::Tensor &embeds, const at::Tensor &mask, const at::Tensor &encoderHidden,
                            const at::Tensor &encoderMask, KvCache *cache)
{
    if (embeds.dim() != 3)
        throw Error("T5 stack: embeddings must be [batch, length, d_model]");
    const std::int64_t batch = embeds.size(0);
    const std::int64_t length = embeds.size(1);
    if (!m_isDecoder)
        cache = nullptr;
    if (cache) {
        const auto blocks = static_cast<std::size_t>(m_blocks.size());
        if (cache->empty()) {
            cache->self.assign(blocks, {});
            cache->cross.assign(blocks, {});
        } else if (cache->self.size() != blocks || cache->cross.size() != blocks) {
            throw Error("T5 decoder: the KV cache was filled by a model with another number of layers");
        } else if (cache->batchSize() != batch) {
            throw Error("T5 decoder: the KV cache holds " + std::to_string(cache->batchSize()) +
                        " sequences, the step gives " + std::to_string(batch));
        }
    }
    const std::int64_t past = cache ? cache->length() : 0;
    const std::int64_t keys = past + length;
    if (mask.defined() && (mask.dim() != 2 || mask.size(0) != batch || mask.size(1) != keys))
        throw Error("T5 stack: attention mask must be [" + std::to_string(batch) + ", " + std::to_string(keys) + "]");

    // The relative-position bias is computed once here, in block 0's attention, and then shared by
    // every block together with the masks folded into it (as HF passes position_bias along).
    at::Tensor selfBias =
        m_blocks.front()->selfAttention->SelfAttention->computeBias(length, keys, past, embeds.device());
    at::Tensor keep;
    if (m_isDecoder) {
        const auto longs = at::TensorOptions().dtype(at::kLong).device(embeds.device());
        const at::Tensor queryPosition = at::arange(past, keys, longs).unsqueeze(1);
        const at::Tensor keyPosition = at::arange(keys, longs).unsqueeze(0);
        keep = (keyPosition <= queryPosition).view({1, 1, length, keys});
    }
    if (mask.defined()) {
        const at::Tensor real = (mask != 0).view({batch, 1, 1, keys});
        keep = keep.defined() ? keep.logical_and(real) : real;
    }
    if (keep.defined())
        selfBias = selfBias.masked_fill(keep.logical_not(), maskedScore(selfBias.scalar_type()));

    const std::int64_t beamsPerSource = cache ? cache->beamsPerSource : 1;
    at::Tensor crossBias;
    if (m_isDecoder && encoderMask.defined()) {
        if (encoderMask.dim() != 2 || encoderMask.size(0) * beamsPerSource != batch)
            throw Error("T5 decoder: encoder mask must be [sources, source length]");
        crossBias = additivePaddingMask(encoderMask, selfBias.scalar_type());
    }

    at::Tensor x = at::dropout(embeds, m_dropout, is_training());
    for (std::size_t i = 0; i < m_blocks.size(); ++i)
        x = m_blocks[i]->forward(x, selfBias, encoderHidden, crossBias, cache ? &cache->self[i] : nullptr,
                                 cache ? &cache->cross[i] : nullptr, beamsPerSource);
    x = final_layer_norm->forward(x);
    return at::dropout(x, m_dropout, is_training());
}

} // namespace idgen
