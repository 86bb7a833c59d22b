#pragma once

#include <string>

namespace idgen {

// Facts about the numeric runtime, shown by `idgenrec info` and the About box.
struct RuntimeInfo {
    std::string torchVersion;
    bool cudaAvailable = false;
    int torchThreads = 0;
    double matmulGflops = 0.0; // float32 512x512x512, a check that an optimised BLAS is loaded
};

RuntimeInfo probeRuntime();
// Applies the thread count for intra-op parallelism (0: keep LibTorch's default).
void setComputeThreads(int threads);

} // namespace idgen
