#include "train/distributed/ProcessGroupContext.h"

#include <ATen/ATen.h>

#include <cstdlib>
#include <exception>

#if IDGEN_HAVE_C10D
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#endif

namespace idgen {
namespace {

std::optional<std::string> variable(const char *name)
{
    const char *value = std::getenv(name);
    if (!value || !*value)
        return std::nullopt;
    return std::string(value);
}

int integerVariable(const char *name, std::optional<int> fallback, int low, int high)
{
    const auto text = variable(name);
    if (!text) {
        if (fallback)
            return *fallback;
        throw Error(std::string("data-parallel launch: WORLD_SIZE is set but ") + name +
                    " is not (a torchrun-style launcher sets MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE, LOCAL_RANK)");
    }
    char *end = nullptr;
    const long value = std::strtol(text->c_str(), &end, 10);
    if (end == text->c_str() || *end != '\0' || value < low || value > high)
        throw Error(std::string("data-parallel launch: ") + name + "='" + *text + "' is not an integer in [" +
                    std::to_string(low) + ", " + std::to_string(high) + "]");
    return static_cast<int>(value);
}

std::string describe(const std::exception_ptr &error)
{
    try {
        std::rethrow_exception(error);
    } catch (const c10::Error &e) {
        return e.what_without_backtrace();
    } catch (const std::exception &e) {
        return e.what();
    } catch (...) {
        return "unknown error";
    }
}

} // namespace

std::optional<LaunchEnvironment> LaunchEnvironment::fromEnvironment()
{
    if (!variable("WORLD_SIZE"))
        return std::nullopt;
    LaunchEnvironment environment;
    environment.worldSize = integerVariable("WORLD_SIZE", std::nullopt, 1, 65536);
    environment.rank = integerVariable("RANK", std::nullopt, 0, environment.worldSize - 1);
    environment.localRank = integerVariable("LOCAL_RANK", environment.rank, 0, 65535);
    environment.masterPort = integerVariable("MASTER_PORT", std::nullopt, 1, 65535);
    environment.masterAddress = variable("MASTER_ADDR").value_or("127.0.0.1");
    environment.agentStore = variable("TORCHELASTIC_USE_AGENT_STORE").value_or("") == "True";
    return environment;
}

std::chrono::milliseconds defaultCollectiveTimeout()
{
    const auto text = variable("IDGEN_DIST_TIMEOUT_S");
    if (!text)
        return std::chrono::seconds(300);
    char *end = nullptr;
    const double seconds = std::strtod(text->c_str(), &end);
    if (end == text->c_str() || *end != '\0' || !(seconds > 0.0))
        throw Error("IDGEN_DIST_TIMEOUT_S='" + *text + "' is not a positive number of seconds");
    return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000.0));
}

#if IDGEN_HAVE_C10D

struct ProcessGroupContext::Impl {
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
};

bool ProcessGroupContext::available()
{
    return true;
}

ProcessGroupContext::ProcessGroupContext(const LaunchEnvironment &environment, std::chrono::milliseconds timeout)
    : m_environment(environment)
    , m_timeout(timeout)
    , m(std::make_unique<Impl>())
{
    const std::string where = "rank " + std::to_string(rank()) + " of " + std::to_string(worldSize()) + " (" +
                              environment.masterAddress + ":" + std::to_string(environment.masterPort) + ")";
    try {
        c10d::TCPStoreOptions options;
        options.port = static_cast<std::uint16_t>(environment.masterPort);
        options.isServer = environment.rank == 0 && !environment.agentStore;
        options.numWorkers = static_cast<std::size_t>(environment.worldSize);
        options.waitWorkers = false; // the group's own rendezvous below waits for everyone
        options.timeout = timeout;
        auto tcp = c10::make_intrusive<c10d::TCPStore>(environment.masterAddress, options);
        m->store = c10::make_intrusive<c10d::PrefixStore>("idgenrec", tcp);
        auto groupOptions = c10d::ProcessGroupGloo::Options::create(timeout);
        // The address this rank is reached at: loopback when the master is local, else the host's.
        groupOptions->devices.push_back(environment.masterAddress == "127.0.0.1" ||
                                                environment.masterAddress == "localhost"
                                            ? c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1")
                                            : c10d::ProcessGroupGloo::createDefaultDevice());
        m->group = c10::make_intrusive<c10d::ProcessGroupGloo>(m->store, environment.rank, environment.worldSize,
                                                               groupOptions);
    } catch (const std::exception &) {
        throw DistributedFailure("data-parallel rendezvous failed for " + where + ": " +
                                 describe(std::current_exception()));
    }
}

ProcessGroupContext::~ProcessGroupContext() = default;

namespace {

void waitFor(const c10::intrusive_ptr<c10d::Work> &work, const std::string &what, int rank,
             std::chrono::milliseconds timeout)
{
    try {
        work->wait(timeout);
    } catch (const std::exception &) {
        throw DistributedFailure("rank " + std::to_string(rank) + ": " + what +
                                 " failed: another rank ended or did not answer within " +
                                 std::to_string(timeout.count() / 1000) + " s (" + describe(std::current_exception()) +
                                 ")");
    }
}

} // namespace

void ProcessGroupContext::allReduceSum(std::vector<at::Tensor> &tensors, const std::string &what)
{
    std::vector<c10::intrusive_ptr<c10d::Work>> pending;
    pending.reserve(tensors.size());
    try {
        for (auto &tensor : tensors) {
            std::vector<at::Tensor> one{tensor};
            c10d::AllreduceOptions options;
            options.timeout = m_timeout;
            pending.push_back(m->group->allreduce(one, options));
        }
    } catch (const std::exception &) {
        throw DistributedFailure("rank " + std::to_string(rank()) + ": " + what + " could not start (" +
                                 describe(std::current_exception()) + ")");
    }
    for (const auto &work : pending)
        waitFor(work, what, rank(), m_timeout);
}

void ProcessGroupContext::broadcast(std::vector<at::Tensor> &tensors, int root, const std::string &what)
{
    std::vector<c10::intrusive_ptr<c10d::Work>> pending;
    try {
        for (auto &tensor : tensors) {
            std::vector<at::Tensor> one{tensor};
            c10d::BroadcastOptions options;
            options.rootRank = root;
            options.timeout = m_timeout;
            pending.push_back(m->group->broadcast(one, options));
        }
    } catch (const std::exception &) {
        throw DistributedFailure("rank " + std::to_string(rank()) + ": " + what + " could not start (" +
                                 describe(std::current_exception()) + ")");
    }
    for (const auto &work : pending)
        waitFor(work, what, rank(), m_timeout);
}

void ProcessGroupContext::barrier(const std::string &what)
{
    c10d::BarrierOptions options;
    options.timeout = m_timeout;
    waitFor(m->group->barrier(options), what, rank(), m_timeout);
}

void ProcessGroupContext::publish(const std::string &key, const std::string &value)
{
    m->store->set(key, std::vector<std::uint8_t>(value.begin(), value.end()));
}

std::string ProcessGroupContext::awaitValue(const std::string &key)
{
    try {
        m->store->wait({key}, m_timeout);
        const std::vector<std::uint8_t> value = m->store->get(key);
        return std::string(value.begin(), value.end());
    } catch (const std::exception &) {
        throw DistributedFailure("rank " + std::to_string(rank()) + ": rank 0 did not publish '" + key + "' within " +
                                 std::to_string(m_timeout.count() / 1000) + " s (" +
                                 describe(std::current_exception()) + ")");
    }
}

#else // no c10d in this build

struct ProcessGroupContext::Impl {};

bool ProcessGroupContext::available()
{
    return false;
}

ProcessGroupContext::ProcessGroupContext(const LaunchEnvironment &environment, std::chrono::milliseconds timeout)
    : m_environment(environment)
    , m_timeout(timeout)
{
    throw Error("this idgenrec was built without PyTorch's c10d Gloo process group (the gloo headers, Debian's "
                "libgloo-dev, were missing at configure time), so it cannot train data-parallel; install them "
                "and rebuild, or train with one process");
}

ProcessGroupContext::~ProcessGroupContext() = default;

void ProcessGroupContext::allReduceSum(std::vector<at::Tensor> &, const std::string &) {}
void ProcessGroupContext::broadcast(std::vector<at::Tensor> &, int, const std::string &) {}
void ProcessGroupContext::barrier(const std::string &) {}
void ProcessGroupContext::publish(const std::string &, const std::string &) {}
std::string ProcessGroupContext::awaitValue(const std::string &)
{
    return {};
}

#endif

std::vector<std::vector<std::int64_t>> ProcessGroupContext::allGather(const std::vector<std::int64_t> &mine,
                                                                      const std::string &what)
{
    const auto ranks = static_cast<std::size_t>(worldSize());
    const auto me = static_cast<std::size_t>(rank());
    std::vector<at::Tensor> lengths{at::zeros({static_cast<std::int64_t>(ranks)}, at::kLong)};
    lengths.front().data_ptr<std::int64_t>()[me] = static_cast<std::int64_t>(mine.size());
    allReduceSum(lengths, what + " (lengths)");
    const std::int64_t *length = lengths.front().data_ptr<std::int64_t>();
    std::vector<std::int64_t> offsets(ranks + 1, 0);
    for (std::size_t r = 0; r < ranks; ++r)
        offsets[r + 1] = offsets[r] + length[r];
    std::vector<at::Tensor> all{at::zeros({offsets[ranks]}, at::kLong)};
    std::copy(mine.begin(), mine.end(), all.front().data_ptr<std::int64_t>() + offsets[me]);
    if (offsets[ranks] > 0) // every rank knows the total: all skip an empty exchange together
        allReduceSum(all, what);
    const std::int64_t *value = all.front().data_ptr<std::int64_t>();
    std::vector<std::vector<std::int64_t>> out(ranks);
    for (std::size_t r = 0; r < ranks; ++r)
        out[r].assign(value + offsets[r], value + offsets[r + 1]);
    return out;
}

std::string rankDevice(const std::string &device, const ProcessGroupContext *group)
{
    if (group && device == "cuda")
        return "cuda:" + std::to_string(group->localRank());
    return device;
}

std::unique_ptr<ProcessGroupContext> joinGroupFromEnvironment()
{
    const auto environment = LaunchEnvironment::fromEnvironment();
    if (!environment || environment->worldSize == 1)
        return nullptr;
    return std::make_unique<ProcessGroupContext>(*environment, defaultCollectiveTimeout());
}

std::vector<double> ProcessGroupContext::sumScalars(const std::vector<double> &values, const std::string &what)
{
    std::vector<at::Tensor> tensors{at::tensor(values, at::TensorOptions().dtype(at::kDouble))};
    allReduceSum(tensors, what);
    const at::Tensor sum = tensors.front().contiguous();
    return std::vector<double>(sum.data_ptr<double>(), sum.data_ptr<double>() + sum.numel());
}

} // namespace idgen
