#pragma once

#include <ATen/core/Tensor.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace torch::nn {
class Module;
}

namespace idgen {

class GradientAllReduce;
class ProcessGroupContext;

// Data parallelism's side of a training loop (the recommender, the ID generator's phase, the
// SASRec baseline), in one place: each rank trains on its rows of the global batch, gradients are
// summed over the ranks (GradientAllReduce), every rank stops at the same step. With no group, or
// a group of one, every call is the one-process behaviour.
class DataParallel {
public:
    // parameters: the ones whose gradients are summed over the ranks.
    DataParallel(ProcessGroupContext *group, std::vector<at::Tensor> parameters);
    ~DataParallel();
    DataParallel(const DataParallel &) = delete;
    DataParallel &operator=(const DataParallel &) = delete;

    // Null for one process.
    ProcessGroupContext *group() const { return m_group; }
    bool leader() const;
    // For Seq2SeqTrainer::setGradientAllReduce; null for one process.
    GradientAllReduce *allReduce() const { return m_allReduce.get(); }
    void reduceGradients() const;

    // After loading any checkpoint: every rank takes rank 0's values of `tensors` (parameters and
    // buffers; each rank loaded the same file or seed, the broadcast makes it certain), and ranks
    // above 0 reseed their RNG from `seed` and their rank, so dropout masks differ per rank as in
    // PyTorch's DDP while rank 0 keeps its stream (one process trains exactly as before).
    void startFromLeader(const std::vector<at::Tensor> &tensors, std::uint64_t seed) const;

    // This rank's rows [begin, end) of a global batch of `count`.
    std::pair<std::size_t, std::size_t> rows(std::size_t count) const;
    // Whether every rank stops now: one rank's stop stops them all, at the same step.
    bool stopVote(bool mine) const;
    // Values summed over the ranks (loss shares, token counts).
    std::vector<double> sum(std::vector<double> values, const std::string &what) const;

private:
    ProcessGroupContext *m_group;
    std::unique_ptr<GradientAllReduce> m_allReduce;
};

// What startFromLeader takes for a model: its parameters, then its buffers.
std::vector<at::Tensor> parametersAndBuffers(const torch::nn::Module &module);

} // namespace idgen
