#include "runtime/Runtime.h"

#include "util/Error.h"

#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <dlfcn.h>

#include <chrono>
#include <cstdlib>
#include <thread>

namespace idgen {
namespace {

using SetThreadsFn = void (*)(int);
using GetThreadsFn = int (*)();

// OpenBLAS's C entry points, looked up in the libraries already loaded (LibTorch pulls in
// libblas.so.3, which Debian's alternatives point at OpenBLAS). Null where there is no OpenBLAS.
SetThreadsFn openblasSetThreads()
{
    static const auto fn = reinterpret_cast<SetThreadsFn>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    return fn;
}

GetThreadsFn openblasGetThreads()
{
    static const auto fn = reinterpret_cast<GetThreadsFn>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
    return fn;
}

int machineCores()
{
    const unsigned cores = std::thread::hardware_concurrency();
    return cores > 0 ? static_cast<int>(cores) : 1;
}

int threadsFromEnvironment()
{
    const char *text = std::getenv("IDGEN_THREADS");
    if (!text || !*text)
        return 0;
    char *end = nullptr;
    const long value = std::strtol(text, &end, 10);
    if (*end != '\0' || value <= 0 || value > 1024)
        throw Error(std::string("IDGEN_THREADS must be a positive number of threads, not '") + text + "'");
    return static_cast<int>(value);
}

} // namespace

RuntimeInfo probeRuntime()
{
    RuntimeInfo info;
    info.torchVersion = TORCH_VERSION;
    info.cudaAvailable = torch::cuda::is_available();
    info.torchThreads = at::get_num_threads();
    info.blasThreads = blasThreads();
    torch::NoGradGuard noGrad;
    const auto a = torch::randn({512, 512});
    const auto b = torch::randn({512, 512});
    auto c = torch::matmul(a, b); // warm-up
    constexpr int kRepeats = 8;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kRepeats; ++i)
        c = torch::matmul(a, b);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    info.matmulGflops = kRepeats * 2.0 * 512.0 * 512.0 * 512.0 / seconds / 1e9;
    return info;
}

void setComputeThreads(int threads)
{
    if (threads > 0)
        at::set_num_threads(threads);
}

int blasThreads()
{
    const GetThreadsFn get = openblasGetThreads();
    return get ? get() : 0;
}

bool setBlasThreads(int threads)
{
    const SetThreadsFn set = openblasSetThreads();
    if (!set || threads <= 0)
        return false;
    set(threads);
    return true;
}

void applyThreads(int torchThreads, int blasThreadCount)
{
    setComputeThreads(torchThreads);
    setBlasThreads(blasThreadCount);
}

ThreadSettings currentThreads()
{
    return {at::get_num_threads(), blasThreads(), "current"};
}

ThreadSettings applyDefaultThreads(int explicitThreads)
{
    std::string source = "explicit";
    int cores = explicitThreads;
    if (cores <= 0) {
        cores = threadsFromEnvironment();
        source = "IDGEN_THREADS";
    }
    if (cores <= 0) {
        cores = machineCores();
        source = "default";
    }
    // Where OpenBLAS does the matmuls, it gets every core and LibTorch's OpenMP pool one thread.
    // `idgenrec bench model --compare-threads` on the 2-core CPU machine (median s per training
    // step, round-robin, two runs each, other builds running):
    //               torch 1/blas 1  torch 1/blas 2  torch 2/blas 1  torch 2/blas 2
    //   tiger (B16)     0.80-0.82       0.60-0.68       0.81-0.83       1.47
    //   small (B8)      2.34-2.38       1.58-1.79       2.37-2.38       3.57
    // Every sample of torch 1/blas 2 beat every sample of the single-BLAS-thread settings. The
    // pools do not share: after an OpenMP region LibTorch's threads spin waiting for more work and
    // steal the cores OpenBLAS's threads need for the next matmul (with OMP_WAIT_POLICY=passive,
    // which must be set before the process starts, torch 2/blas 2 ties torch 1/blas 2). Element-wise
    // work gains nothing measurable from a second Torch thread. Without OpenBLAS (MKL in the PyTorch
    // wheel) LibTorch's pool runs the matmuls too, so it gets the cores.
    if (openblasSetThreads()) {
        applyThreads(1, cores);
    } else {
        setComputeThreads(cores);
    }
    ThreadSettings settings = currentThreads();
    settings.source = source;
    return settings;
}

} // namespace idgen
