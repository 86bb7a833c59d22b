#pragma once

#include "util/Error.h"

#include <ATen/core/Tensor.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace idgen {

// Where this process sits in a data-parallel group, as torchrun, `idgenrec train --nproc N` and
// cluster launchers (SLURM's srun through a wrapper) describe it: MASTER_ADDR, MASTER_PORT, RANK,
// WORLD_SIZE, LOCAL_RANK.
struct LaunchEnvironment {
    std::string masterAddress = "127.0.0.1";
    int masterPort = 29500;
    int rank = 0;
    int worldSize = 1;
    int localRank = 0;
    // torchrun's agent already serves the TCPStore at MASTER_ADDR:MASTER_PORT
    // (TORCHELASTIC_USE_AGENT_STORE=True): every rank connects to it as a client.
    bool agentStore = false;

    // nullopt when WORLD_SIZE is not set; an Error naming the variable when one is malformed or
    // missing (RANK and MASTER_PORT are required with WORLD_SIZE).
    static std::optional<LaunchEnvironment> fromEnvironment();
};

// A collective failed: a rank ended, hung past the timeout, or the rendezvous never completed.
class DistributedFailure : public Error {
public:
    using Error::Error;
};

// This process's membership of a data-parallel group through PyTorch's own c10d engine: a
// TCPStore at MASTER_ADDR:MASTER_PORT (rank 0 serves it) for the rendezvous, and a
// ProcessGroupGloo for the collectives (CPU tensors; Gloo also takes CUDA tensors in a CUDA
// LibTorch). Every collective waits at most `timeout`; a failure throws DistributedFailure naming
// the operation and this rank. Without c10d at build time (IDGEN_HAVE_C10D unset) constructing
// one throws an Error saying so.
class ProcessGroupContext {
public:
    // Whether this build has c10d's Gloo process group (CMake found its headers).
    static bool available();

    ProcessGroupContext(const LaunchEnvironment &environment, std::chrono::milliseconds timeout);
    ~ProcessGroupContext();
    ProcessGroupContext(const ProcessGroupContext &) = delete;
    ProcessGroupContext &operator=(const ProcessGroupContext &) = delete;

    int rank() const { return m_environment.rank; }
    int worldSize() const { return m_environment.worldSize; }
    int localRank() const { return m_environment.localRank; }
    bool isLeader() const { return m_environment.rank == 0; }
    std::chrono::milliseconds timeout() const { return m_timeout; }

    // Sums each tensor over the ranks, in place. The tensors are launched together (Gloo works on
    // them in its own threads) and awaited together: one call per gradient bucket list.
    void allReduceSum(std::vector<at::Tensor> &tensors, const std::string &what);
    // Rank `root`'s tensors, in place, on every rank.
    void broadcast(std::vector<at::Tensor> &tensors, int root, const std::string &what);
    // Small values summed over the ranks (a step's loss share, a stop vote), in double precision.
    std::vector<double> sumScalars(const std::vector<double> &values, const std::string &what);
    // Every rank's integers, in rank order, whatever their lengths (ID candidates): two sums,
    // the lengths, then one tensor where each rank fills its own segment.
    std::vector<std::vector<std::int64_t>> allGather(const std::vector<std::int64_t> &mine, const std::string &what);
    void barrier(const std::string &what);

    // The rendezvous store: a value rank 0 tells the others (the run's id), and waiting for it.
    void publish(const std::string &key, const std::string &value);
    std::string awaitValue(const std::string &key);

private:
    struct Impl;
    LaunchEnvironment m_environment;
    std::chrono::milliseconds m_timeout;
    std::unique_ptr<Impl> m;
};

// `group` when it has several ranks, else null: callers then behave as one process.
inline ProcessGroupContext *severalRanks(ProcessGroupContext *group)
{
    return group && group->worldSize() > 1 ? group : nullptr;
}

// This process's group from the torchrun environment (LaunchEnvironment::fromEnvironment, the
// default timeout); null without WORLD_SIZE or with a world of one.
std::unique_ptr<ProcessGroupContext> joinGroupFromEnvironment();

// The device a rank trains on: on a plain "cuda", the GPU of its local rank (torchrun's
// convention: one GPU per rank on each machine); any other device as given.
std::string rankDevice(const std::string &device, const ProcessGroupContext *group);

// The collective timeout: IDGEN_DIST_TIMEOUT_S seconds when set, else 300 s (a validation pass
// of the slowest rank must fit in it).
std::chrono::milliseconds defaultCollectiveTimeout();

} // namespace idgen
