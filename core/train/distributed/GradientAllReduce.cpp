#include "train/distributed/GradientAllReduce.h"

#include "train/distributed/ProcessGroupContext.h"
#include "util/Error.h"

#include <ATen/ATen.h>

namespace idgen {
namespace {

std::vector<std::vector<std::size_t>> bucketsOf(const std::vector<at::Tensor> &tensors, std::size_t bucketBytes)
{
    std::vector<std::vector<std::size_t>> buckets;
    std::size_t bytes = 0;
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        const at::Tensor &t = tensors[i];
        const std::size_t size = static_cast<std::size_t>(t.numel()) * t.element_size();
        const bool fits = !buckets.empty() && bytes + size <= bucketBytes &&
                          tensors[buckets.back().front()].scalar_type() == t.scalar_type() &&
                          tensors[buckets.back().front()].device() == t.device();
        if (!fits) {
            buckets.emplace_back();
            bytes = 0;
        }
        buckets.back().push_back(i);
        bytes += size;
    }
    return buckets;
}

at::Tensor flatten(const std::vector<at::Tensor> &parts)
{
    std::vector<at::Tensor> flat;
    flat.reserve(parts.size());
    for (const auto &part : parts)
        flat.push_back(part.reshape({-1}));
    return at::cat(flat);
}

// Copies a summed flat bucket back into its parts (views of the flat tensor, in order).
void unflatten(const at::Tensor &flat, std::vector<at::Tensor> &parts)
{
    std::int64_t offset = 0;
    for (auto &part : parts) {
        const std::int64_t n = part.numel();
        part.copy_(flat.slice(0, offset, offset + n).view_as(part));
        offset += n;
    }
}

} // namespace

GradientAllReduce::GradientAllReduce(ProcessGroupContext &group, std::vector<at::Tensor> parameters,
                                     std::size_t bucketBytes)
    : m_group(group)
    , m_parameters(std::move(parameters))
    , m_buckets(bucketsOf(m_parameters, bucketBytes))
{
    if (bucketBytes == 0)
        throw Error("gradient all-reduce: the bucket size must be positive");
}

void GradientAllReduce::reduce()
{
    const at::NoGradGuard noGrad;
    std::vector<std::vector<at::Tensor>> grads(m_buckets.size());
    std::vector<at::Tensor> flats;
    flats.reserve(m_buckets.size());
    for (std::size_t b = 0; b < m_buckets.size(); ++b) {
        // Each bucket carries one flag per parameter, "this rank has its gradient": a parameter
        // no rank used keeps no gradient, so AdamW skips it as it would in one process.
        std::vector<double> has;
        for (const std::size_t i : m_buckets[b]) {
            at::Tensor &parameter = m_parameters[i];
            has.push_back(parameter.grad().defined() ? 1.0 : 0.0);
            if (!parameter.grad().defined())
                parameter.mutable_grad() = at::zeros_like(parameter);
            grads[b].push_back(parameter.grad());
        }
        const at::Tensor flags = at::tensor(has, at::kDouble).to(grads[b].front().options());
        flats.push_back(at::cat({flatten(grads[b]), flags}));
    }
    m_group.allReduceSum(flats, "the gradient all-reduce (" + std::to_string(flats.size()) + " buckets)");
    for (std::size_t b = 0; b < m_buckets.size(); ++b) {
        const std::int64_t count = static_cast<std::int64_t>(m_buckets[b].size());
        const at::Tensor flat = flats[b];
        unflatten(flat.slice(0, 0, flat.numel() - count), grads[b]);
        const at::Tensor used = flat.slice(0, flat.numel() - count).to(at::kCPU, at::kDouble).contiguous();
        const double *ranksWithGrad = used.data_ptr<double>();
        for (std::size_t k = 0; k < m_buckets[b].size(); ++k)
            if (ranksWithGrad[k] == 0.0)
                m_parameters[m_buckets[b][k]].mutable_grad() = at::Tensor();
    }
}

void broadcastTensors(ProcessGroupContext &group, const std::vector<at::Tensor> &tensors, int root)
{
    const at::NoGradGuard noGrad;
    const auto buckets = bucketsOf(tensors, GradientAllReduce::kDefaultBucketBytes);
    std::vector<std::vector<at::Tensor>> parts(buckets.size());
    std::vector<at::Tensor> flats;
    for (std::size_t b = 0; b < buckets.size(); ++b) {
        for (const std::size_t i : buckets[b])
            parts[b].push_back(tensors[i]);
        flats.push_back(flatten(parts[b]));
    }
    group.broadcast(flats, root, "the broadcast of rank " + std::to_string(root) + "'s weights");
    for (std::size_t b = 0; b < buckets.size(); ++b)
        unflatten(flats[b], parts[b]);
}

std::pair<std::size_t, std::size_t> rankShare(std::size_t count, int rank, int ranks)
{
    if (ranks < 1 || rank < 0 || rank >= ranks)
        throw Error("rank " + std::to_string(rank) + " is not in a group of " + std::to_string(ranks));
    const auto r = static_cast<std::size_t>(rank);
    const auto n = static_cast<std::size_t>(ranks);
    const std::size_t base = count / n;
    const std::size_t extra = count % n;
    const std::size_t begin = r * base + std::min(r, extra);
    return {begin, begin + base + (r < extra ? 1 : 0)};
}

} // namespace idgen
