#pragma once

#include "train/baselines/BaselineScorer.h"

#include <cstdint>

namespace idgen {

class SasRecModel;

// Scores with a SASRec model: each history's last maxLength items, left-padded, one forward pass
// per batch, the last position's hidden state against every item embedding. The model must be in
// eval mode (SasRecEvalScope); scoring runs without autograd.
class SasRecScorer final : public BaselineScorer {
public:
    SasRecScorer(SasRecModel &model, c10::Device device);

    at::Tensor score(std::span<const SplitSample> samples) override;
    std::size_t itemCount() const override;
    c10::Device device() const override { return m_device; }

private:
    SasRecModel &m_model;
    c10::Device m_device;
};

// Eval mode for a scope, training mode again after it (also when the scope throws).
class SasRecEvalScope {
public:
    explicit SasRecEvalScope(SasRecModel &model);
    ~SasRecEvalScope();
    SasRecEvalScope(const SasRecEvalScope &) = delete;
    SasRecEvalScope &operator=(const SasRecEvalScope &) = delete;

private:
    SasRecModel &m_model;
    bool m_wasTraining;
};

} // namespace idgen
