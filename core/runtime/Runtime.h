#pragma once

#include <string>

namespace idgen {

// Facts about the numeric runtime, shown by `idgenrec info` and the About box.
struct RuntimeInfo {
    std::string torchVersion;
    bool cudaAvailable = false;
    int torchThreads = 0;
    int blasThreads = 0;       // OpenBLAS's thread count; 0 when the BLAS is not OpenBLAS
    double matmulGflops = 0.0; // float32 512x512x512, a check that an optimised BLAS is loaded
};

RuntimeInfo probeRuntime();
// Applies the thread count for intra-op parallelism (0: keep LibTorch's default).
void setComputeThreads(int threads);

// OpenBLAS's own thread pool, reached at run time (dlsym) because LibTorch links whatever
// libblas.so.3 the system provides: Debian's LibTorch gets OpenBLAS, the PyTorch wheel on the GPU
// host has MKL and no OpenBLAS. Returns 0 / false where OpenBLAS is not loaded.
int blasThreads();
bool setBlasThreads(int threads);

// The thread counts in force for the two pools that do the arithmetic on the CPU.
struct ThreadSettings {
    int torch = 0;      // LibTorch intra-op (OpenMP) threads: element-wise ops, softmax, optimiser
    int blas = 0;       // OpenBLAS threads: every matmul; 0 when OpenBLAS is not loaded
    std::string source; // "default", "IDGEN_THREADS" or "explicit"
};

// The one place that decides the CPU thread counts; both front ends call it at start-up (and the
// bench again with its --threads). Precedence: explicitThreads > 0, then the IDGEN_THREADS
// environment variable, then all the machine's cores. A count N means "use N cores": where
// OpenBLAS is loaded it gets N threads and LibTorch's own pool 1 (fastest here by far, see the
// measurements in Runtime.cpp); elsewhere LibTorch's pool gets N.
// Throws Error when IDGEN_THREADS is set but not a positive integer.
ThreadSettings applyDefaultThreads(int explicitThreads = 0);
// Sets both pools as given (0 leaves a pool alone); for benchmarks that compare settings.
void applyThreads(int torchThreads, int blasThreadCount);
ThreadSettings currentThreads();

} // namespace idgen
