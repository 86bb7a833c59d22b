#pragma once

// Template definitions of TrainingSamples.h.

#include "data/Prompts.h"

#include <algorithm>
#include <numeric>
#include <random>

namespace idgen {

template <typename Length>
std::vector<std::vector<TrainingExample>> epochBatches(std::size_t samples, int templatesPerSample, int batch,
                                                       std::uint64_t seed, std::int64_t epoch, Length promptLength)
{
    std::mt19937_64 rng(seed * 0x9e3779b97f4a7c15ULL + static_cast<std::uint64_t>(epoch) * 1000003ULL + 17);
    std::vector<TrainingExample> examples;
    examples.reserve(samples * static_cast<std::size_t>(templatesPerSample));
    std::vector<std::uint8_t> templates(PromptTemplates::kTrainingCount);
    std::iota(templates.begin(), templates.end(), std::uint8_t{0});
    for (std::size_t s = 0; s < samples; ++s) {
        // A partial Fisher-Yates shuffle: the first templatesPerSample entries are distinct picks.
        for (int k = 0; k < templatesPerSample; ++k) {
            const auto pick = k + static_cast<int>(rng() % (templates.size() - static_cast<std::size_t>(k)));
            std::swap(templates[static_cast<std::size_t>(k)], templates[static_cast<std::size_t>(pick)]);
            examples.push_back({static_cast<std::uint32_t>(s), templates[static_cast<std::size_t>(k)]});
        }
    }
    std::shuffle(examples.begin(), examples.end(), rng);
    const std::size_t perBatch = static_cast<std::size_t>(batch);
    const std::size_t window = perBatch * 50;
    std::vector<std::vector<TrainingExample>> batches;
    for (std::size_t begin = 0; begin < examples.size(); begin += window) {
        const auto first = examples.begin() + static_cast<std::ptrdiff_t>(begin);
        const auto last = examples.begin() + static_cast<std::ptrdiff_t>(std::min(examples.size(), begin + window));
        std::vector<std::pair<std::size_t, TrainingExample>> sized;
        for (auto it = first; it != last; ++it)
            sized.emplace_back(promptLength(*it), *it);
        std::stable_sort(sized.begin(), sized.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
        for (std::size_t b = 0; b < sized.size(); b += perBatch) {
            std::vector<TrainingExample> one;
            for (std::size_t i = b; i < std::min(sized.size(), b + perBatch); ++i)
                one.push_back(sized[i].second);
            batches.push_back(std::move(one));
        }
    }
    std::shuffle(batches.begin(), batches.end(), rng);
    return batches;
}

} // namespace idgen
