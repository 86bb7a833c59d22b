#include "train/distributed/DataParallel.h"

#include "train/distributed/GradientAllReduce.h"
#include "train/distributed/ProcessGroupContext.h"

#include <ATen/ATen.h>
#include <torch/nn/module.h>

namespace idgen {

DataParallel::DataParallel(ProcessGroupContext *group, std::vector<at::Tensor> parameters)
    : m_group(severalRanks(group))
{
    if (m_group)
        m_allReduce = std::make_unique<GradientAllReduce>(*m_group, std::move(parameters));
}

DataParallel::~DataParallel() = default;

bool DataParallel::leader() const
{
    return !m_group || m_group->isLeader();
}

void DataParallel::reduceGradients() const
{
    if (m_allReduce)
        m_allReduce->reduce();
}

void DataParallel::startFromLeader(const std::vector<at::Tensor> &tensors, std::uint64_t seed) const
{
    if (!m_group)
        return;
    broadcastTensors(*m_group, tensors, 0);
    if (m_group->rank() > 0)
        at::manual_seed(seed + 1000003ULL * static_cast<std::uint64_t>(m_group->rank()));
}

std::pair<std::size_t, std::size_t> DataParallel::rows(std::size_t count) const
{
    return m_group ? rankShare(count, m_group->rank(), m_group->worldSize())
                   : std::pair<std::size_t, std::size_t>(0, count);
}

bool DataParallel::stopVote(bool mine) const
{
    if (!m_group)
        return mine;
    return m_group->sumScalars({mine ? 1.0 : 0.0}, "the stop vote").front() > 0.0;
}

std::vector<double> DataParallel::sum(std::vector<double> values, const std::string &what) const
{
    return m_group ? m_group->sumScalars(values, what) : values;
}

std::vector<at::Tensor> parametersAndBuffers(const torch::nn::Module &module)
{
    std::vector<at::Tensor> tensors = module.parameters();
    for (const auto &buffer : module.buffers())
        tensors.push_back(buffer);
    return tensors;
}

} // namespace idgen
