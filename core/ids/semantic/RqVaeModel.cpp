#include "ids/semantic/RqVaeModel.h"

#include "ids/semantic/KMeans.h"
#include "util/Error.h"

#include <ATen/ATen.h>
#include <torch/nn/init.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/linear.h>

namespace idgen {
namespace {

// Linear layers with ReLU between them (none after the last), Xavier-normal weights and zero
// biases, as LETTER's MLPLayers.
torch::nn::Sequential mlp(const std::vector<std::int64_t> &sizes)
{
    torch::nn::Sequential layers;
    for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
        torch::nn::Linear linear(sizes[i], sizes[i + 1]);
        torch::nn::init::xavier_normal_(linear->weight);
        torch::nn::init::zeros_(linear->bias);
        layers->push_back(linear);
        if (i + 2 < sizes.size())
            layers->push_back(torch::nn::ReLU());
    }
    return layers;
}

} // namespace

RqVaeModel::RqVaeModel(const RqVaeShape &shape)
    : m_shape(shape)
{
    if (shape.inputDim < 1 || shape.codeDim < 1 || shape.levels < 1 || shape.codes < 2)
        throw Error("RQ-VAE: input and code dimensions, levels and codes (at least 2) must be positive");
    std::vector<std::int64_t> sizes = {shape.inputDim};
    sizes.insert(sizes.end(), shape.hidden.begin(), shape.hidden.end());
    sizes.push_back(shape.codeDim);
    m_encoder = register_module("encoder", mlp(sizes));
    m_decoder = register_module("decoder", mlp({sizes.rbegin(), sizes.rend()}));
    for (int level = 0; level < shape.levels; ++level)
        m_codebooks.push_back(register_parameter("codebook_" + std::to_string(level),
                                                 at::randn({shape.codes, shape.codeDim}) / static_cast<double>(shape.codes)));
}

RqVaeOutput RqVaeModel::forward(const at::Tensor &input)
{
    RqVaeOutput out;
    const at::Tensor encoded = m_encoder->forward(input);
    at::Tensor residual = encoded;
    at::Tensor sum = at::zeros_like(encoded);
    std::vector<at::Tensor> codes;
    at::Tensor codebookLoss = at::zeros({}, encoded.options());
    at::Tensor commitmentLoss = at::zeros({}, encoded.options());
    for (const at::Tensor &codebook : m_codebooks) {
        const at::Tensor code = nearestCentres(residual.detach(), codebook.detach());
        const at::Tensor chosen = codebook.index_select(0, code);
        codebookLoss = codebookLoss + (chosen - residual.detach()).pow(2).mean();
        commitmentLoss = commitmentLoss + (residual - chosen.detach()).pow(2).mean();
        out.residuals.push_back(residual);
        codes.push_back(code);
        sum = sum + chosen.detach();
        residual = residual - chosen.detach();
    }
    const auto levels = static_cast<double>(m_codebooks.size());
    out.codebookLoss = codebookLoss / levels;
    out.commitmentLoss = commitmentLoss / levels;
    out.codes = at::stack(codes, 1);
    out.quantised = encoded + (sum - encoded).detach();
    out.reconstruction = m_decoder->forward(out.quantised);
    return out;
}

at::Tensor RqVaeModel::assign(const at::Tensor &input)
{
    const at::NoGradGuard noGrad;
    at::Tensor residual = m_encoder->forward(input);
    std::vector<at::Tensor> codes;
    for (const at::Tensor &codebook : m_codebooks) {
        const at::Tensor code = nearestCentres(residual, codebook);
        residual = residual - codebook.index_select(0, code);
        codes.push_back(code);
    }
    return at::stack(codes, 1);
}

void RqVaeModel::initialiseCodebooks(const at::Tensor &input, int iterations)
{
    const at::NoGradGuard noGrad;
    at::Tensor residual = m_encoder->forward(input);
    for (at::Tensor &codebook : m_codebooks) {
        codebook.copy_(kmeans(residual, m_shape.codes, iterations));
        residual = residual - codebook.index_select(0, nearestCentres(residual, codebook));
    }
}

} // namespace idgen
