#include "train/baselines/SasRecModel.h"

#include "util/Error.h"

#include <ATen/ATen.h>
#include <torch/nn/init.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace idgen {

SasRecBlock::SasRecBlock(std::int64_t hidden, std::int64_t heads, double dropout)
    : m_heads(heads)
    , m_dropout(dropout)
{
    // eps 1e-8 as in the reference port.
    const auto norm = [hidden] { return torch::nn::LayerNorm(torch::nn::LayerNormOptions({hidden}).eps(1e-8)); };
    const auto linear = [hidden] { return torch::nn::Linear(hidden, hidden); };
    attention_norm = register_module("attention_norm", norm());
    query = register_module("query", linear());
    key = register_module("key", linear());
    value = register_module("value", linear());
    output = register_module("output", linear());
    forward_norm = register_module("forward_norm", norm());
    ff_in = register_module("ff_in", linear());
    ff_out = register_module("ff_out", linear());
}

at::Tensor SasRecBlock::forward(const at::Tensor &x, const at::Tensor &allowed)
{
    const std::int64_t batch = x.size(0), length = x.size(1), hidden = x.size(2);
    const std::int64_t headSize = hidden / m_heads;
    const auto split = [&](const at::Tensor &t) { return t.view({batch, length, m_heads, headSize}).transpose(1, 2); };

    const at::Tensor normed = attention_norm(x);
    const at::Tensor q = split(query(normed));
    const at::Tensor k = split(key(normed));
    const at::Tensor v = split(value(normed));
    at::Tensor weights = at::matmul(q, k.transpose(-2, -1)) / std::sqrt(static_cast<double>(headSize));
    weights = weights.masked_fill(allowed.logical_not(), -std::numeric_limits<float>::infinity());
    weights = at::dropout(at::softmax(weights, -1), m_dropout, is_training());
    const at::Tensor attended = at::matmul(weights, v).transpose(1, 2).reshape({batch, length, hidden});
    at::Tensor y = x + at::dropout(output(attended), m_dropout, is_training());

    const at::Tensor inner = at::dropout(at::relu(ff_in(forward_norm(y))), m_dropout, is_training());
    return y + at::dropout(ff_out(inner), m_dropout, is_training());
}

SasRecModel::SasRecModel(std::int64_t items, const SasRecConfig &config)
    : m_items(items)
    , m_hidden(config.hidden)
    , m_maxLength(config.maxLength)
    , m_dropout(config.dropout)
{
    item_embedding = register_module(
        "item_embedding", torch::nn::Embedding(torch::nn::EmbeddingOptions(items + 1, config.hidden).padding_idx(0)));
    // Position 0 is padding; positions 1..maxLength count from the left of the full padded window,
    // so the latest item always sits at position maxLength (the reference port's numbering).
    position_embedding = register_module(
        "position_embedding",
        torch::nn::Embedding(torch::nn::EmbeddingOptions(config.maxLength + 1, config.hidden).padding_idx(0)));
    blocks = register_module("blocks", torch::nn::ModuleList());
    for (std::int64_t b = 0; b < config.blocks; ++b)
        blocks->push_back(std::make_shared<SasRecBlock>(config.hidden, config.heads, config.dropout));
    final_norm = register_module("final_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({config.hidden}).eps(1e-8)));
    resetParameters();
}

void SasRecModel::resetParameters()
{
    // Xavier-normal weights as in the reference port (small: 0.013 for Beauty's item table),
    // zero biases, unit layer norms; the padding rows stay zero.
    at::NoGradGuard noGrad;
    for (auto &parameter : named_parameters()) {
        at::Tensor &p = parameter.value();
        if (p.dim() >= 2)
            torch::nn::init::xavier_normal_(p);
        else if (parameter.key().ends_with(".weight"))
            p.fill_(1.0);
        else
            p.zero_();
    }
    item_embedding->weight[0].zero_();
    position_embedding->weight[0].zero_();
}

at::Tensor SasRecModel::forward(const at::Tensor &tokens)
{
    const std::int64_t batch = tokens.size(0), length = tokens.size(1);
    if (length < 1 || length > m_maxLength)
        throw Error("SASRec input of width " + std::to_string(length) + " (the model reads 1.." +
                    std::to_string(m_maxLength) + ")");
    const at::Tensor real = tokens.ne(0);
    // A window narrower than maxLength is the right end of the full one (padding removed from the
    // left): its positions end at maxLength too. Padding neither attends nor is attended to, so the
    // real positions come out as in the full window, at the cost of the real width only.
    const at::Tensor positions =
        at::arange(m_maxLength - length + 1, m_maxLength + 1, tokens.options()).unsqueeze(0) * real;
    at::Tensor x = item_embedding(tokens) * std::sqrt(static_cast<double>(m_hidden)) + position_embedding(positions);
    const at::Tensor keep = real.unsqueeze(-1).to(x.scalar_type());
    x = at::dropout(x, m_dropout, is_training()) * keep;

    // A query attends to itself and to the real items before it; padding queries (left of the
    // first item) see only themselves, so no softmax row is empty.
    const at::Tensor causal = at::ones({length, length}, tokens.options().dtype(at::kBool)).tril();
    const at::Tensor self = at::eye(length, tokens.options().dtype(at::kBool));
    const at::Tensor allowed = (causal.unsqueeze(0) & real.unsqueeze(1)) | self.unsqueeze(0);
    const at::Tensor allowedHeads = allowed.view({batch, 1, length, length});
    for (const auto &block : *blocks)
        x = block->as<SasRecBlock>()->forward(x, allowedHeads) * keep;
    return final_norm(x) * keep;
}

at::Tensor SasRecModel::itemEmbeddings() const
{
    return item_embedding->weight.narrow(0, 1, m_items);
}

at::Tensor SasRecModel::scoreItems(const at::Tensor &hidden) const
{
    return at::matmul(hidden, itemEmbeddings().t());
}

void writeLeftPadded(std::int64_t *row, std::span<const std::uint32_t> items, std::int64_t width)
{
    const auto count = std::min<std::int64_t>(width, static_cast<std::int64_t>(items.size()));
    const std::int64_t pad = width - count;
    std::fill(row, row + pad, 0);
    const std::uint32_t *from = items.data() + items.size() - count;
    for (std::int64_t i = 0; i < count; ++i)
        row[pad + i] = static_cast<std::int64_t>(from[i]) + 1;
}

} // namespace idgen
