#pragma once

#include "model/T5Config.h"

#include <cstdint>
#include <string>
#include <vector>

namespace idgen {

class JobEvents;

// `idgenrec bench model`: how fast one T5 training step runs here, next to how fast this machine
// multiplies large matrices, so that the ratio says how much of the hardware the model code uses.
struct ModelBenchOptions {
    std::string config = "tiger"; // a named config or a config.json path
    std::string device = "cpu";   // "cpu", "cuda", "cuda:N"
    std::int64_t batch = 0;       // 0: defaultBenchBatch()
    std::int64_t sourceLength = 128; // an IDGenRec prompt with 20 history items
    std::int64_t targetLength = 8;   // one generated item ID
    int warmupSteps = 2;
    int steps = 5;
    std::int64_t gemmSize = 0; // 0: 2048 (float32) on CPU, 8192 (bf16) on CUDA
    bool bf16 = true;          // CUDA only: autocast to bf16 (CPU always runs float32)
    std::uint64_t seed = 1234;
};

// Matmul FLOPs of one training step (forward + backward), counted from the config alone.
struct TrainStepFlops {
    double dense = 0.0;     // projections and feed-forward layers
    double attention = 0.0; // the score (Q K^T) and weighted-value (A V) products
    double lmHead = 0.0;    // the output projection onto the vocabulary
    double total() const { return dense + attention + lmHead; }
};
TrainStepFlops trainStepFlops(const T5Config &config, std::int64_t batch, std::int64_t sourceLength,
                              std::int64_t targetLength);

// 16 sequences for tiger-sized models and 8 for t5-small and up on the CPU, 64 on a GPU.
std::int64_t defaultBenchBatch(const T5Config &config, const std::string &device);

struct ModelBenchResult {
    std::string config;
    std::string device;
    bool bf16 = false;
    int torchThreads = 0;
    int blasThreads = 0;
    std::int64_t batch = 0;
    std::int64_t sourceLength = 0;
    std::int64_t targetLength = 0;
    int steps = 0;
    std::vector<double> stepSeconds; // every timed step, in order
    double medianStepSeconds = 0.0;
    double trainTokensPerS = 0.0; // batch x (source + target) / median step
    TrainStepFlops flops;
    double modelGflopsPerS = 0.0; // flops.total() / median step
    std::int64_t gemmSize = 0;
    double gemmGflopsPerS = 0.0; // median over samples interleaved with the training steps
    double ratio = 0.0;          // modelGflopsPerS / gemmGflopsPerS
};

// Warm-up steps, then `steps` timed steps of forward + backward + AdamW, each followed by one
// timed gemm sample, so that both numbers see the same machine load (the CPU machines are shared).
// Throws Error for an unknown config or device, or bad sizes.
ModelBenchResult runModelBench(const ModelBenchOptions &options, JobEvents *events = nullptr);

// The same training step under several (Torch, OpenBLAS) thread settings, round-robin so that
// load from other processes spreads evenly over them. Leaves the thread settings as it found them.
struct ThreadTiming {
    int torchThreads = 0;
    int blasThreads = 0;
    std::vector<double> stepSeconds;
    double medianStepSeconds = 0.0;
    double gemmGflopsPerS = 0.0;
};
std::vector<ThreadTiming> compareThreadSettings(const ModelBenchOptions &options,
                                                const std::vector<std::pair<int, int>> &settings, int rounds,
                                                JobEvents *events = nullptr);

// Where a training step's time goes: each part run alone (forward + backward, same shapes) and
// timed, with its share of the FLOP count. For finding what to optimise, not for comparing machines.
struct BenchPart {
    std::string name;
    double seconds = 0.0; // for the whole step (e.g. all encoder layers together)
    double flops = 0.0;   // matmul FLOPs of that part (0 for parts without matmuls)
};
std::vector<BenchPart> modelBenchBreakdown(const ModelBenchOptions &options, JobEvents *events = nullptr);

} // namespace idgen
