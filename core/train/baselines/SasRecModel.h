#pragma once

#include "train/baselines/SasRecConfig.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include <cstdint>
#include <span>

namespace idgen {

// One SASRec block, pre-LN: x + dropout(attention(LN(x))), then x + dropout(FFN(LN(x))), with
// causal multi-head self-attention (dropout on the attention weights, as in the reference port)
// and a ReLU point-wise feed-forward of the hidden size.
class SasRecBlock : public torch::nn::Module {
public:
    SasRecBlock(std::int64_t hidden, std::int64_t heads, double dropout);
    // x [batch, length, hidden]; allowed [batch, 1, length, length] true where a query may attend.
    at::Tensor forward(const at::Tensor &x, const at::Tensor &allowed);

    torch::nn::LayerNorm attention_norm{nullptr}, forward_norm{nullptr};
    torch::nn::Linear query{nullptr}, key{nullptr}, value{nullptr}, output{nullptr};
    torch::nn::Linear ff_in{nullptr}, ff_out{nullptr};

private:
    std::int64_t m_heads;
    double m_dropout;
};

// SASRec (Kang & McAuley 2018): item embedding (row 0 = padding, row i + 1 = item index i) scaled
// by sqrt(hidden), a learned position embedding, causal self-attention blocks and a final layer
// norm. The item embedding is also the output layer: the score of item i at a position is
// hidden . embedding[i + 1].
class SasRecModel : public torch::nn::Module {
public:
    SasRecModel(std::int64_t items, const SasRecConfig &config);

    // tokens [batch, width] int64, width <= maxLength, left-padded with 0 (item index + 1
    // elsewhere): the right end of the maxLength window, so a batch may be cut to its longest
    // history. Returns the hidden state of every position, [batch, width, hidden] (zero at padding).
    at::Tensor forward(const at::Tensor &tokens);
    // The item rows of the embedding, [items, hidden] (row i = item index i).
    at::Tensor itemEmbeddings() const;
    // Scores of every item for hidden states [..., hidden]: [..., items].
    at::Tensor scoreItems(const at::Tensor &hidden) const;

    std::int64_t items() const { return m_items; }
    std::int64_t maxLength() const { return m_maxLength; }

    torch::nn::Embedding item_embedding{nullptr}, position_embedding{nullptr};
    torch::nn::ModuleList blocks{nullptr};
    torch::nn::LayerNorm final_norm{nullptr};

private:
    void resetParameters();

    std::int64_t m_items;
    std::int64_t m_hidden;
    std::int64_t m_maxLength;
    double m_dropout;
};

// One row of model input: the last `width` items of a history as tokens (item index + 1),
// right-aligned in row[0, width) after zeros (padding).
void writeLeftPadded(std::int64_t *row, std::span<const std::uint32_t> items, std::int64_t width);

} // namespace idgen
