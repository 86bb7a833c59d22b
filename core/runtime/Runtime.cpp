#include "runtime/Runtime.h"

#include <ATen/Parallel.h>
#include <torch/cuda.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <chrono>

namespace idgen {

RuntimeInfo probeRuntime()
{
    RuntimeInfo info;
    info.torchVersion = TORCH_VERSION;
    info.cudaAvailable = torch::cuda::is_available();
    info.torchThreads = at::get_num_threads();
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

} // namespace idgen
