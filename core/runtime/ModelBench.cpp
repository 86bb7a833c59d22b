#include "runtime/ModelBench.h"

#include "jobs/JobEvents.h"
#include "model/Autocast.h"
#include "model/T5Layers.h"
#include "model/T5Model.h"
#include "runtime/Runtime.h"
#include "train/Seq2SeqTrainer.h"
#include "util/Error.h"

#include <ATen/ATen.h>
#include <torch/cuda.h>
#include <torch/optim/adamw.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>

namespace idgen {
namespace {

using Clock = std::chrono::steady_clock;

double median(std::vector<double> values)
{
    if (values.empty())
        return 0.0;
    std::sort(values.begin(), values.end());
    const std::size_t mid = values.size() / 2;
    return values.size() % 2 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
}

c10::Device parseDevice(const std::string &text)
{
    c10::Device device(c10::kCPU);
    try {
        device = c10::Device(text);
    } catch (const c10::Error &) {
        throw Error("unknown device '" + text + "' (use cpu, cuda or cuda:N)");
    }
    if (device.is_cuda() && !torch::cuda::is_available())
        throw Error("device '" + text + "' asked for, but this LibTorch sees no CUDA device");
    if (!device.is_cpu() && !device.is_cuda())
        throw Error("device '" + text + "' is not supported (use cpu, cuda or cuda:N)");
    return device;
}

void synchronize(const c10::Device &device)
{
    if (device.is_cuda())
        torch::cuda::synchronize(device.has_index() ? device.index() : -1);
}

// Wall-clock seconds of fn(), with the device drained before and after so that queued GPU work
// is counted where it belongs.
double timed(const c10::Device &device, const std::function<void()> &fn)
{
    synchronize(device);
    const auto start = Clock::now();
    fn();
    synchronize(device);
    return std::chrono::duration<double>(Clock::now() - start).count();
}

void requirePositive(std::int64_t value, const char *what)
{
    if (value <= 0)
        throw Error(std::string("bench: ") + what + " must be positive");
}

// The matmul FLOPs of the parts of a training step. A matmul of [m, k] by [k, n] is 2mkn FLOPs
// forward; backward computes the gradients of both operands, two more products of the same size,
// so a trained matmul costs 3x its forward: 6 x (weights) x (tokens) for a linear layer.
struct FlopModel {
    double d, inner, ff, vocab, ffMats, batch, source, target;

    FlopModel(const T5Config &c, std::int64_t b, std::int64_t s, std::int64_t t)
        : d(static_cast<double>(c.dModel))
        , inner(static_cast<double>(c.innerDim()))
        , ff(static_cast<double>(c.dFf))
        , vocab(static_cast<double>(c.vocabSize))
        , ffMats(c.isGatedAct() ? 3.0 : 2.0) // wi (or wi_0 and wi_1) and wo
        , batch(static_cast<double>(b))
        , source(static_cast<double>(s))
        , target(static_cast<double>(t))
    {
    }

    // q, k, v, o on every token: 6 x 4 d inner x tokens.
    double selfProjections(double length) const { return 6.0 * 4.0 * d * inner * batch * length; }
    // Q K^T and A V, each 2 x queries x keys x inner per sequence forward, x3 for training.
    double scores(double queries, double keys) const { return 3.0 * 2.0 * 2.0 * queries * keys * inner * batch; }
    double feedForward(double length) const { return 6.0 * ffMats * d * ff * batch * length; }
    // Cross-attention: q and o on the target tokens, k and v on the encoder output.
    double crossProjections() const { return 6.0 * 2.0 * d * inner * batch * (target + source); }
    double lmHead() const { return 6.0 * vocab * d * batch * target; }
};

struct BenchData {
    T5Batch batch;
};

BenchData makeData(const T5Config &config, std::int64_t batch, std::int64_t source, std::int64_t target,
                   const c10::Device &device)
{
    // Ids above the special ones (pad 0, eos 1, unk 2), each sequence ending in eos, no padding
    // (a mask of ones still goes through the masking code, as a real batch does).
    const std::int64_t low = std::min<std::int64_t>(3, config.vocabSize - 1);
    const auto longs = at::TensorOptions().dtype(at::kLong);
    at::Tensor ids = at::randint(low, config.vocabSize, {batch, source}, longs);
    ids.select(1, source - 1).fill_(config.eosTokenId);
    at::Tensor labels = at::randint(low, config.vocabSize, {batch, target}, longs);
    labels.select(1, target - 1).fill_(config.eosTokenId);
    BenchData data;
    data.batch.inputIds = ids.to(device);
    data.batch.attentionMask = at::ones({batch, source}, longs).to(device);
    data.batch.labels = labels.to(device);
    return data;
}

struct Setup {
    T5Config config;
    c10::Device device{c10::kCPU};
    bool bf16 = false;
    std::int64_t batch = 0;
    std::int64_t gemmSize = 0;
};

Setup prepare(const ModelBenchOptions &options)
{
    Setup setup;
    setup.config = T5Config::byNameOrFile(options.config);
    setup.device = parseDevice(options.device);
    setup.bf16 = options.bf16 && setup.device.is_cuda();
    setup.batch = options.batch > 0 ? options.batch : defaultBenchBatch(setup.config, options.device);
    setup.gemmSize = options.gemmSize > 0 ? options.gemmSize : (setup.device.is_cuda() ? 8192 : 2048);
    requirePositive(options.sourceLength, "the source length");
    requirePositive(options.targetLength, "the target length");
    if (options.steps <= 0)
        throw Error("bench: the number of timed steps must be positive");
    if (options.warmupSteps < 0)
        throw Error("bench: the number of warm-up steps cannot be negative");
    return setup;
}

// A model, its trainer (constant learning rate) and a fixed batch: one training step at a time,
// the same step the recommender and the ID generator train with.
class Trainer {
public:
    Trainer(const Setup &setup, const ModelBenchOptions &options)
        : m_setup(setup)
    {
        at::manual_seed(options.seed);
        m_model = std::make_shared<T5Model>(setup.config);
        m_model->to(setup.device);
        Seq2SeqTrainerOptions trainerOptions;
        trainerOptions.learningRate = 1e-4;
        trainerOptions.bf16 = setup.bf16;
        m_trainer = std::make_unique<Seq2SeqTrainer>(*m_model, trainerOptions);
        m_data = makeData(setup.config, setup.batch, options.sourceLength, options.targetLength, setup.device);
    }

    void step() { m_trainer->step(m_data.batch); }

    double timedStep()
    {
        return timed(m_setup.device, [this] { step(); });
    }

    T5Model &model() { return *m_model; }
    torch::optim::AdamW &optimizer() { return m_trainer->optimizer(); }

private:
    Setup m_setup;
    std::shared_ptr<T5Model> m_model;
    std::unique_ptr<Seq2SeqTrainer> m_trainer;
    BenchData m_data;
};

// Dense n x n x n products: float32 on the CPU (what CPU training runs in), bf16 on CUDA (what
// autocast runs the model's matmuls in). `repeats` products per sample amortise the launch and
// synchronisation cost of a GPU.
class Gemm {
public:
    Gemm(const c10::Device &device, std::int64_t n)
        : m_device(device)
        , m_n(n)
        , m_repeats(device.is_cuda() ? 20 : 1)
    {
        const auto options = at::TensorOptions().device(device).dtype(device.is_cuda() ? at::kBFloat16 : at::kFloat);
        m_a = at::randn({n, n}, options);
        m_b = at::randn({n, n}, options);
        m_c = at::empty({n, n}, options);
        sample(); // warm-up: thread pools, BLAS buffers, cuBLAS handles
    }

    double sample()
    {
        at::NoGradGuard noGrad;
        const double seconds = timed(m_device, [this] {
            for (int i = 0; i < m_repeats; ++i)
                at::mm_out(m_c, m_a, m_b);
        });
        const double n = static_cast<double>(m_n);
        return m_repeats * 2.0 * n * n * n / seconds / 1e9;
    }

private:
    c10::Device m_device;
    std::int64_t m_n;
    int m_repeats;
    at::Tensor m_a, m_b, m_c;
};

void report(JobEvents *events, double fraction, const std::string &stage)
{
    if (events)
        events->progress(fraction, stage);
}

} // namespace

TrainStepFlops trainStepFlops(const T5Config &config, std::int64_t batch, std::int64_t sourceLength,
                              std::int64_t targetLength)
{
    // With S source and T target tokens per sequence, B sequences, inner = heads x d_kv, F the
    // feed-forward matrices (2, or 3 when gated), L_e / L_d encoder / decoder layers:
    //   dense     = 6 B [ L_e S (4 d inner + F d d_ff)                       encoder
    //                   + L_d T (4 d inner + 2 d inner + F d d_ff)           decoder self q,k,v,o, cross q,o, FF
    //                   + L_d S (2 d inner) ]                                cross k,v on the encoder output
    //   attention = 3 x 2 x 2 x inner x B [ L_e S^2 + L_d (T^2 + T S) ]      Q K^T and A V, fwd + bwd
    //   lm head   = 6 B T vocab d
    // Embedding lookups, norms, softmax, dropout and the optimizer are not matmuls and count zero.
    const FlopModel m(config, batch, sourceLength, targetLength);
    const double encoderLayers = static_cast<double>(config.numLayers);
    const double decoderLayers = static_cast<double>(config.numDecoderLayers);
    TrainStepFlops flops;
    flops.dense = encoderLayers * (m.selfProjections(m.source) + m.feedForward(m.source)) +
                  decoderLayers * (m.selfProjections(m.target) + m.crossProjections() + m.feedForward(m.target));
    flops.attention = encoderLayers * m.scores(m.source, m.source) +
                      decoderLayers * (m.scores(m.target, m.target) + m.scores(m.target, m.source));
    flops.lmHead = m.lmHead();
    return flops;
}

std::int64_t defaultBenchBatch(const T5Config &config, const std::string &device)
{
    if (device.rfind("cuda", 0) == 0)
        return 64;
    return config.dModel >= 512 ? 8 : 16;
}

ModelBenchResult runModelBench(const ModelBenchOptions &options, JobEvents *events)
{
    const Setup setup = prepare(options);
    ModelBenchResult result;
    result.config = options.config;
    result.device = setup.device.str();
    result.bf16 = setup.bf16;
    const ThreadSettings threads = currentThreads();
    result.torchThreads = threads.torch;
    result.blasThreads = threads.blas;
    result.batch = setup.batch;
    result.sourceLength = options.sourceLength;
    result.targetLength = options.targetLength;
    result.steps = options.steps;
    result.gemmSize = setup.gemmSize;

    report(events, 0.0, "building the model");
    Trainer trainer(setup, options);
    Gemm gemm(setup.device, setup.gemmSize);
    const int total = options.warmupSteps + options.steps;
    for (int i = 0; i < options.warmupSteps; ++i) {
        report(events, static_cast<double>(i) / total, "warm-up step");
        trainer.step();
    }
    std::vector<double> gemmSamples;
    for (int i = 0; i < options.steps; ++i) {
        report(events, static_cast<double>(options.warmupSteps + i) / total, "timed step");
        result.stepSeconds.push_back(trainer.timedStep());
        gemmSamples.push_back(gemm.sample());
    }
    report(events, 1.0, "done");

    result.medianStepSeconds = median(result.stepSeconds);
    result.trainTokensPerS =
        static_cast<double>(setup.batch * (options.sourceLength + options.targetLength)) / result.medianStepSeconds;
    result.flops = trainStepFlops(setup.config, setup.batch, options.sourceLength, options.targetLength);
    result.modelGflopsPerS = result.flops.total() / result.medianStepSeconds / 1e9;
    result.gemmGflopsPerS = median(gemmSamples);
    result.ratio = result.modelGflopsPerS / result.gemmGflopsPerS;
    return result;
}

std::vector<ThreadTiming> compareThreadSettings(const ModelBenchOptions &options,
                                                const std::vector<std::pair<int, int>> &settings, int rounds,
                                                JobEvents *events)
{
    const Setup setup = prepare(options);
    const ThreadSettings before = currentThreads();
    std::vector<ThreadTiming> timings;
    std::vector<std::vector<double>> gemmSamples(settings.size());
    try {
        Trainer trainer(setup, options);
        Gemm gemm(setup.device, setup.gemmSize);
        for (const auto &[torchThreads, blas] : settings) {
            applyThreads(torchThreads, blas);
            ThreadTiming timing;
            timing.torchThreads = torchThreads;
            timing.blasThreads = blasThreads();
            timings.push_back(timing);
            report(events, 0.0, "warm-up");
            for (int i = 0; i < std::max(1, options.warmupSteps); ++i)
                trainer.step();
        }
        for (int round = 0; round < rounds; ++round) {
            for (std::size_t s = 0; s < settings.size(); ++s) {
                report(events, static_cast<double>(round * settings.size() + s) / (rounds * settings.size()),
                       "timed step");
                applyThreads(settings[s].first, settings[s].second);
                timings[s].stepSeconds.push_back(trainer.timedStep());
                gemmSamples[s].push_back(gemm.sample());
            }
        }
    } catch (...) {
        applyThreads(before.torch, before.blas);
        throw;
    }
    applyThreads(before.torch, before.blas);
    for (std::size_t s = 0; s < timings.size(); ++s) {
        timings[s].medianStepSeconds = median(timings[s].stepSeconds);
        timings[s].gemmGflopsPerS = median(gemmSamples[s]);
    }
    return timings;
}

std::vector<BenchPart> modelBenchBreakdown(const ModelBenchOptions &options, JobEvents *events)
{
    const Setup setup = prepare(options);
    const T5Config &c = setup.config;
    const c10::Device device = setup.device;
    const std::int64_t B = setup.batch;
    const std::int64_t S = options.sourceLength;
    const std::int64_t T = options.targetLength;
    const FlopModel m(c, B, S, T);
    const int reps = std::max(3, options.steps);
    const auto floats = at::TensorOptions().device(device).dtype(at::kFloat);

    // Median seconds of fn() over reps runs after one warm-up run.
    const auto measure = [&](const std::function<void()> &fn) {
        fn();
        std::vector<double> samples;
        for (int i = 0; i < reps; ++i)
            samples.push_back(timed(device, fn));
        return median(samples);
    };
    // Forward + backward of one sub-layer on a fresh input that wants a gradient (as inside the stack).
    const auto fwdBwd = [&](const std::function<at::Tensor(const at::Tensor &)> &forward, std::int64_t length) {
        return measure([&] {
            const at::Tensor x = at::randn({B, length, c.dModel}, floats).requires_grad_(true);
            at::Tensor y;
            {
                AutocastScope autocast(device, setup.bf16);
                y = forward(x);
            }
            y.backward(at::ones_like(y));
        });
    };

    std::vector<BenchPart> parts;
    at::manual_seed(options.seed);
    const double encoderLayers = static_cast<double>(c.numLayers);
    const double decoderLayers = static_cast<double>(c.numDecoderLayers);

    report(events, 0.0, "encoder layers");
    {
        auto attention = std::make_shared<T5LayerSelfAttention>(c, true, false);
        auto ff = std::make_shared<T5LayerFF>(c);
        attention->to(device);
        ff->to(device);
        attention->train();
        ff->train();
        const at::Tensor bias = attention->SelfAttention->computeBias(S, S, 0, device).detach();
        parts.push_back({"encoder self-attention",
                         encoderLayers * fwdBwd([&](const at::Tensor &x) { return attention->forward(x, bias, nullptr); }, S),
                         encoderLayers * (m.selfProjections(m.source) + m.scores(m.source, m.source))});
        parts.push_back({"encoder feed-forward",
                         encoderLayers * fwdBwd([&](const at::Tensor &x) { return ff->forward(x); }, S),
                         encoderLayers * m.feedForward(m.source)});
    }
    report(events, 0.3, "decoder layers");
    {
        auto attention = std::make_shared<T5LayerSelfAttention>(c, true, true);
        auto cross = std::make_shared<T5LayerCrossAttention>(c);
        auto ff = std::make_shared<T5LayerFF>(c);
        attention->to(device);
        cross->to(device);
        ff->to(device);
        attention->train();
        cross->train();
        ff->train();
        const at::Tensor bias = attention->SelfAttention->computeBias(T, T, 0, device).detach();
        const at::Tensor encoderHidden = at::randn({B, S, c.dModel}, floats).requires_grad_(true);
        parts.push_back({"decoder self-attention",
                         decoderLayers * fwdBwd([&](const at::Tensor &x) { return attention->forward(x, bias, nullptr); }, T),
                         decoderLayers * (m.selfProjections(m.target) + m.scores(m.target, m.target))});
        parts.push_back({"decoder cross-attention",
                         decoderLayers * fwdBwd([&](const at::Tensor &x) { return cross->forward(x, encoderHidden, {}, nullptr); }, T),
                         decoderLayers * (m.crossProjections() + m.scores(m.target, m.source))});
        parts.push_back({"decoder feed-forward",
                         decoderLayers * fwdBwd([&](const at::Tensor &x) { return ff->forward(x); }, T),
                         decoderLayers * m.feedForward(m.target)});
    }

    report(events, 0.6, "embeddings, LM head, optimizer");
    Trainer trainer(setup, options);
    T5Model &model = trainer.model();
    const BenchData data = makeData(c, B, S, T, device);
    parts.push_back({"embeddings (lookup + gradient)", measure([&] {
                         at::Tensor e = model.embedTokens(data.batch.inputIds).sum() +
                                        model.embedTokens(data.batch.labels).sum();
                         e.backward();
                     }),
                     0.0});
    parts.push_back({"LM head + loss", fwdBwd([&](const at::Tensor &x) { return T5Model::loss(model.lmHead(x), data.batch.labels); }, T),
                     m.lmHead()});
    // The optimizer on gradients of the right shapes (the timing does not depend on their values).
    for (auto &p : model.parameters())
        p.mutable_grad() = at::randn_like(p);
    parts.push_back({"optimizer (AdamW)", measure([&] { trainer.optimizer().step(); }), 0.0});

    report(events, 0.8, "whole step");
    const double whole = measure([&] { trainer.step(); });
    double sum = 0.0;
    for (const auto &part : parts)
        sum += part.seconds;
    parts.push_back({"other (masks, bias, norms, zero_grad, ...)", std::max(0.0, whole - sum), 0.0});
    parts.push_back({"whole step", whole, trainStepFlops(c, B, S, T).total()});
    report(events, 1.0, "done");
    return parts;
}

} // namespace idgen
