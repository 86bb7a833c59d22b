#include "plot/Smoothing.h"

#include <algorithm>
#include <cmath>

namespace idgen::ui {

std::vector<double> Smoothing::debiasedEma(std::span<const double> values, double weight)
{
    weight = std::clamp(weight, 0.0, 0.999999);
    std::vector<double> out;
    out.reserve(values.size());
    double moving = 0.0;
    double debias = 0.0; // 1 - w^t, accumulated the same way as `moving`
    for (const double value : values) {
        if (!std::isfinite(value)) {
            out.push_back(value);
            continue;
        }
        moving = moving * weight + (1.0 - weight) * value;
        debias = debias * weight + (1.0 - weight);
        out.push_back(moving / debias);
    }
    return out;
}

std::vector<double> Smoothing::runningAverage(std::span<const double> values, int window)
{
    window = std::max(1, window);
    std::vector<double> out;
    out.reserve(values.size());
    // The last `window` finite values, as a ring with a running sum.
    std::vector<double> ring(static_cast<std::size_t>(window), 0.0);
    std::size_t next = 0;
    std::size_t count = 0;
    double sum = 0.0;
    for (const double value : values) {
        if (!std::isfinite(value)) {
            out.push_back(value);
            continue;
        }
        if (count == ring.size())
            sum -= ring[next];
        else
            ++count;
        ring[next] = value;
        sum += value;
        next = (next + 1) % ring.size();
        out.push_back(sum / static_cast<double>(count));
    }
    return out;
}

std::vector<double> Smoothing::apply(Kind kind, std::span<const double> values, double parameter)
{
    switch (kind) {
    case Kind::Ema: return debiasedEma(values, parameter);
    case Kind::RunningAverage: return runningAverage(values, static_cast<int>(std::lround(parameter)));
    case Kind::None: break;
    }
    return {values.begin(), values.end()};
}

} // namespace idgen::ui
