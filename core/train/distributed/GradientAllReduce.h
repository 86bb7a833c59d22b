#pragma once

#include <ATen/core/Tensor.h>

#include <cstddef>
#include <utility>
#include <vector>

namespace idgen {

class ProcessGroupContext;

// Data parallelism's one exchange per step: after the backward pass every parameter's gradient is
// summed over the ranks, so every rank clips and steps on the same gradient and the weights stay
// identical. Gradients travel in buckets of about bucketBytes (DDP's 25 MiB default): each bucket
// is one flat tensor, all buckets are launched at once and awaited together, so a T5 step makes a
// handful of collectives instead of one per parameter. Each rank scales its loss by its share of
// the global batch (Seq2SeqTrainer's lossScale), so the sum is the global batch's gradient.
class GradientAllReduce {
public:
    static constexpr std::size_t kDefaultBucketBytes = std::size_t{25} << 20;

    GradientAllReduce(ProcessGroupContext &group, std::vector<at::Tensor> parameters,
                      std::size_t bucketBytes = kDefaultBucketBytes);

    // Sums every parameter's .grad over the ranks, in place; a rank without a gradient for a
    // parameter (an empty share of the batch) contributes zeros.
    void reduce();
    std::size_t bucketCount() const { return m_buckets.size(); }

private:
    ProcessGroupContext &m_group;
    std::vector<at::Tensor> m_parameters;
    std::vector<std::vector<std::size_t>> m_buckets; // parameter indices; one dtype and device each
};

// Rank `root`'s values of `tensors` (parameters, buffers) on every rank, bucketed the same way.
void broadcastTensors(ProcessGroupContext &group, const std::vector<at::Tensor> &tensors, int root);

// This rank's contiguous share [begin, end) of `count` items (a global batch, a user list): the
// first count % ranks ranks take one more, and the shares tile [0, count) in rank order.
std::pair<std::size_t, std::size_t> rankShare(std::size_t count, int rank, int ranks);

} // namespace idgen
