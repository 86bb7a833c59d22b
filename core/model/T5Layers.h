#pragma once

// Internal to the T5 implementation. Every member registered here is named after its Hugging Face
// counterpart (block, layer, SelfAttention, EncDecAttention, DenseReluDense, layer_norm, ...), so
// that named_parameters() yields HF's checkpoint keys.

#include "model/T5Attention.h"

#include <torch/nn/modules/container/modulelist.h>

#include <memory>
#include <vector>

namespace idgen {

// T5's RMS norm: scale only, no mean subtraction, no bias; the variance is taken in float32.
class T5LayerNorm : public torch::nn::Module {
public:
    T5LayerNorm(std::int64_t dim, double eps);
    at::Tensor forward(const at::Tensor &x);
    void resetParameters();

    at::Tensor weight;

private:
    double m_eps;
};

// The feed-forward block: wi -> act -> dropout -> wo, or gated: act(wi_0 x) * wi_1 x -> dropout -> wo.
class T5DenseActDense : public torch::nn::Module {
public:
    explicit T5DenseActDense(const T5Config &config);
    at::Tensor forward(const at::Tensor &x);
    void resetParameters(const T5Config &config);

    torch::nn::Linear wi{nullptr}, wi_0{nullptr}, wi_1{nullptr}, wo{nullptr};

private:
    at::Tensor activate(const at::Tensor &x) const;

    std::string m_act;
    double m_dropout;
};

// Pre-norm residual wrappers: x + dropout(sublayer(layer_norm(x))).
class T5LayerSelfAttention : public torch::nn::Module {
public:
    T5LayerSelfAttention(const T5Config &config, bool hasRelativeBias, bool causal);
    at::Tensor forward(const at::Tensor &x, const at::Tensor &bias, AttentionCache *cache);

    std::shared_ptr<T5Attention> SelfAttention;
    std::shared_ptr<T5LayerNorm> layer_norm;

private:
    double m_dropout;
};

class T5LayerCrossAttention : public torch::nn::Module {
public:
    explicit T5LayerCrossAttention(const T5Config &config);
    at::Tensor forward(const at::Tensor &x, const at::Tensor &encoderHidden, const at::Tensor &bias,
                       AttentionCache *cache, std::int64_t beamsPerSource = 1);

    std::shared_ptr<T5Attention> EncDecAttention;
    std::shared_ptr<T5LayerNorm> layer_norm;

private:
    double m_dropout;
};

class T5LayerFF : public torch::nn::Module {
public:
    explicit T5LayerFF(const T5Config &config);
    at::Tensor forward(const at::Tensor &x);

    std::shared_ptr<T5DenseActDense> DenseReluDense;
    std::shared_ptr<T5LayerNorm> layer_norm;

private:
    double m_dropout;
};

// One encoder block (layer.0 self-attention, layer.1 feed-forward) or decoder block (layer.0
// self-attention, layer.1 cross-attention, layer.2 feed-forward).
class T5Block : public torch::nn::Module {
public:
    T5Block(const T5Config &config, bool isDecoder, bool hasRelativeBias);
    at::Tensor forward(const at::Tensor &x, const at::Tensor &selfBias, const at::Tensor &encoderHidden,
                       const at::Tensor &crossBias, AttentionCache *selfCache, AttentionCache *crossCache,
                       std::int64_t beamsPerSource = 1);

    torch::nn::ModuleList layer;
    std::shared_ptr<T5LayerSelfAttention> selfAttention;
    std::shared_ptr<T5LayerCrossAttention> crossAttention; // null in the encoder
    std::shared_ptr<T5LayerFF> feedForward;
};

// A stack of blocks between the embeddings and final_layer_norm. The token embedding is not part
// of it (HF's embed_tokens is the model's `shared`): the stack takes embeddings.
class T5Stack : public torch::nn::Module {
public:
    T5Stack(const T5Config &config, bool isDecoder);

    // embeds [B, T, D]; mask [B, K] of 0/1 over the keys of self-attention (K = T in the encoder,
    // cached + T in the decoder; undefined: no padding). Decoder only: encoderHidden [B, S, D],
    // encoderMask [B, S] (undefined: no padding), and an optional cache for incremental decoding.
    at::Tensor forward(const at::Tensor &embeds, const at::Tensor &mask, const at::Tensor &encoderHidden = {},
                       const at::Tensor &encoderMask = {}, KvCache *cache = nullptr);
    void resetParameters(const T5Config &config);
    bool isDecoder() const { return m_isDecoder; }

    torch::nn::ModuleList block;
    std::shared_ptr<T5LayerNorm> final_layer_norm;

private:
    std::vector<std::shared_ptr<T5Block>> m_blocks;
    bool m_isDecoder;
    double m_dropout;
};

// [B, K] 0/1 -> additive [B, 1, 1, K]: 0 where kept, the most negative finite value where masked.
at::Tensor additivePaddingMask(const at::Tensor &mask, c10::ScalarType dtype);

} // namespace idgen
