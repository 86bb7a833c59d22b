#include "train/baselines/SasRecScorer.h"

#include "train/baselines/SasRecModel.h"

#include <ATen/ATen.h>

#include <algorithm>

namespace idgen {

SasRecScorer::SasRecScorer(SasRecModel &model, c10::Device device)
    : m_model(model)
    , m_device(device)
{
}

std::size_t SasRecScorer::itemCount() const
{
    return static_cast<std::size_t>(m_model.items());
}

at::Tensor SasRecScorer::score(std::span<const SplitSample> samples)
{
    // The window is cut to the batch's longest history (same scores, less work).
    std::size_t longest = 1;
    for (const auto &sample : samples)
        longest = std::max(longest, sample.history.size());
    const std::int64_t width = std::min(m_model.maxLength(), static_cast<std::int64_t>(longest));
    at::Tensor tokens = at::empty({static_cast<std::int64_t>(samples.size()), width}, at::kLong);
    std::int64_t *row = tokens.data_ptr<std::int64_t>();
    for (const auto &sample : samples) {
        writeLeftPadded(row, sample.history, width);
        row += width;
    }
    at::NoGradGuard noGrad;
    const at::Tensor hidden = m_model.forward(tokens.to(m_device));
    // Histories are right-aligned: the last position holds the latest item's state.
    return m_model.scoreItems(hidden.select(1, width - 1)).to(at::kFloat);
}

SasRecEvalScope::SasRecEvalScope(SasRecModel &model)
    : m_model(model)
    , m_wasTraining(model.is_training())
{
    m_model.eval();
}

SasRecEvalScope::~SasRecEvalScope()
{
    m_model.train(m_wasTraining);
}

} // namespace idgen
