#pragma once

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>

#include <cstdint>
#include <vector>

namespace idgen {

// The shape of an RQ-VAE (TIGER, Rajput et al. 2023; LETTER): an MLP encoder to a code vector,
// `levels` codebooks of `codes` vectors each quantising the residual left by the levels before,
// and the mirrored MLP decoder.
struct RqVaeShape {
    std::int64_t inputDim = 0;
    std::vector<std::int64_t> hidden = {512, 256, 128}; // encoder layers; the decoder mirrors them
    std::int64_t codeDim = 32;
    int levels = 3;
    std::int64_t codes = 256;
};

// One pass of a batch through the RQ-VAE.
struct RqVaeOutput {
    at::Tensor reconstruction; // [B, inputDim]
    at::Tensor quantised;      // [B, codeDim]: the sum of the chosen codes, straight-through (the
                               // encoder gets the gradient, as in TIGER and LETTER)
    at::Tensor codes;          // [B, levels] int64
    std::vector<at::Tensor> residuals; // per level, the vector that level quantises [B, codeDim]
                                       // (LETTER's diversity loss pulls codes towards them)
    at::Tensor codebookLoss;   // per level mean of |sg(residual) - code|^2, averaged over levels
    at::Tensor commitmentLoss; // per level mean of |residual - sg(code)|^2, averaged over levels
};

class RqVaeModel : public torch::nn::Module {
public:
    explicit RqVaeModel(const RqVaeShape &shape);

    RqVaeOutput forward(const at::Tensor &input);
    // The codes of every row [N, levels], without gradients.
    at::Tensor assign(const at::Tensor &input);
    // TIGER's k-means initialisation: each codebook is the k-means of the residuals its level sees
    // for these inputs (the encoder as initialised), level after level.
    void initialiseCodebooks(const at::Tensor &input, int iterations);

    const RqVaeShape &shape() const { return m_shape; }
    const at::Tensor &codebook(int level) const { return m_codebooks.at(static_cast<std::size_t>(level)); }

private:
    RqVaeShape m_shape;
    torch::nn::Sequential m_encoder{nullptr}, m_decoder{nullptr};
    std::vector<at::Tensor> m_codebooks; // [codes, codeDim] each
};

} // namespace idgen
