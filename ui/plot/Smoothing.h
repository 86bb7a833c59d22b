#pragma once

#include <span>
#include <vector>

namespace idgen::ui {

// The two smoothings people trust for training curves, over the full series (never subsampled
// first). Non-finite values pass through unchanged and leave the running state alone, so a
// single NaN loss does not poison the rest of the curve.
class Smoothing {
public:
    enum class Kind { None, Ema, RunningAverage };

    // TensorBoard's debiased exponential moving average: s_t = m_t / (1 - w^t) with
    // m_t = w m_{t-1} + (1 - w) v_t, so the first points are not pulled towards zero.
    // weight in [0, 1): 0 returns the values.
    static std::vector<double> debiasedEma(std::span<const double> values, double weight);
    // The mean of the last `window` values (fewer at the start); window 1 returns the values.
    static std::vector<double> runningAverage(std::span<const double> values, int window);
    // `parameter` is the EMA weight or the window (rounded).
    static std::vector<double> apply(Kind kind, std::span<const double> values, double parameter);
};

} // namespace idgen::ui
