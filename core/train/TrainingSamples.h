#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace idgen {

struct Dataset;

// The recommender's training samples (method.md section 3): every prefix of a user's items[:-2]
// of length >= 1 predicts the next item of items[:-2]; the history is the last maxHistory items
// of the prefix. Views into the dataset's sequences, so Beauty's 130k samples cost 16 bytes each.
struct TrainingSample {
    std::uint32_t user = 0;
    std::uint32_t target = 0;
    std::uint64_t historyBegin = 0; // into Dataset::sequenceItems
    std::uint32_t historyLength = 0;
};

std::vector<TrainingSample> trainingSamples(const Dataset &dataset, std::size_t maxHistory);
std::span<const std::uint32_t> sampleHistory(const Dataset &dataset, const TrainingSample &sample);

// One training example of an epoch: a sample rendered with one template.
struct TrainingExample {
    std::uint32_t sample = 0;
    std::uint8_t templateIndex = 0;
    bool operator==(const TrainingExample &) const = default;
};

// An epoch's batches, a function of (seed, epoch) alone so a resumed run sees the same batches:
// each sample rendered with templatesPerSample distinct random training templates, the examples
// shuffled, then cut into windows of 50 batches whose examples are sorted by prompt length before
// batching (less padding), and the batches shuffled. promptLength(example) gives the length.
template <typename Length>
std::vector<std::vector<TrainingExample>> epochBatches(std::size_t samples, int templatesPerSample, int batch,
                                                       std::uint64_t seed, std::int64_t epoch, Length promptLength);

} // namespace idgen

#include "train/TrainingSamplesImpl.h"
