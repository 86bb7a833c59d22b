#include "cli/BenchCommands.h"

#include "cli/CliEvents.h"
#include "runtime/DecodeBench.h"
#include "runtime/ModelBench.h"
#include "runtime/Runtime.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <thread>

namespace idgen::cli {
namespace {

struct BenchArgs {
    ModelBenchOptions options;
    int threads = 0;
    bool fp32 = false;
    bool compareThreads = false;
    int rounds = 3;
    bool breakdown = false;
    bool json = false;
};

nlohmann::json resultJson(const ModelBenchResult &r)
{
    return {{"train_tokens_per_s", r.trainTokensPerS},
            {"model_gflops_per_s", r.modelGflopsPerS},
            {"gemm_gflops_per_s", r.gemmGflopsPerS},
            {"ratio", r.ratio},
            {"config", r.config},
            {"device", r.device},
            {"bf16", r.bf16},
            {"torch_threads", r.torchThreads},
            {"blas_threads", r.blasThreads},
            {"batch", r.batch},
            {"source_len", r.sourceLength},
            {"target_len", r.targetLength},
            {"steps", r.steps},
            {"step_seconds", r.medianStepSeconds},
            {"step_seconds_all", r.stepSeconds},
            {"model_gflop_per_step", r.flops.total() / 1e9},
            {"gemm_size", r.gemmSize}};
}

void printResult(const ModelBenchResult &r)
{
    std::cout << "T5 '" << r.config << "' training step on " << r.device << (r.bf16 ? " (bf16 autocast)" : " (float32)")
              << ", Torch threads " << r.torchThreads << ", OpenBLAS threads " << r.blasThreads << "\n"
              << "  batch x (source + target)  " << r.batch << " x (" << r.sourceLength << " + " << r.targetLength
              << ") tokens\n"
              << "  step (median of " << r.steps << ")       " << fixed(r.medianStepSeconds, 3) << " s\n"
              << "  training throughput        " << fixed(r.trainTokensPerS, 0) << " tokens/s\n"
              << "  model FLOPs per step       " << fixed(r.flops.total() / 1e9, 2) << " GFLOP (dense "
              << fixed(r.flops.dense / 1e9, 2) << ", attention " << fixed(r.flops.attention / 1e9, 2) << ", LM head "
              << fixed(r.flops.lmHead / 1e9, 2) << ")\n"
              << "  model rate                 " << fixed(r.modelGflopsPerS, 1) << " GFLOP/s\n"
              << "  matmul rate (" << r.gemmSize << "^3)       " << fixed(r.gemmGflopsPerS, 1) << " GFLOP/s\n"
              << "  ratio                      " << fixed(r.ratio, 3) << "\n";
}

void runCompare(const BenchArgs &args)
{
    const int cores = args.threads > 0 ? args.threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    std::vector<int> torchCounts{1};
    if (cores > 1)
        torchCounts.push_back(cores);
    std::vector<int> blasCounts{0};
    if (blasThreads() > 0) {
        blasCounts = {1};
        if (cores > 1)
            blasCounts.push_back(cores);
    }
    std::vector<std::pair<int, int>> settings;
    for (int t : torchCounts)
        for (int b : blasCounts)
            settings.emplace_back(t, b);
    CliEvents events(args.json);
    const auto timings = compareThreadSettings(args.options, settings, args.rounds, &events);
    events.finish();
    for (const auto &t : timings) {
        if (args.json) {
            printJson({{"config", args.options.config},
                       {"torch_threads", t.torchThreads},
                       {"blas_threads", t.blasThreads},
                       {"step_seconds", t.medianStepSeconds},
                       {"step_seconds_all", t.stepSeconds},
                       {"gemm_gflops_per_s", t.gemmGflopsPerS}});
            continue;
        }
        std::cout << "torch " << t.torchThreads << "  openblas " << t.blasThreads << "  step "
                  << fixed(t.medianStepSeconds, 3) << " s  (";
        for (std::size_t i = 0; i < t.stepSeconds.size(); ++i)
            std::cout << (i ? " " : "") << fixed(t.stepSeconds[i], 3);
        std::cout << ")  gemm " << fixed(t.gemmGflopsPerS, 1) << " GFLOP/s\n";
    }
}

void runBreakdown(const BenchArgs &args)
{
    CliEvents events(args.json);
    const auto parts = modelBenchBreakdown(args.options, &events);
    events.finish();
    const double whole = parts.back().seconds;
    for (const auto &p : parts) {
        const double gflops = p.seconds > 0 ? p.flops / p.seconds / 1e9 : 0.0;
        if (args.json) {
            printJson({{"part", p.name}, {"seconds", p.seconds}, {"gflop", p.flops / 1e9}, {"gflops_per_s", gflops}});
            continue;
        }
        char line[200];
        std::snprintf(line, sizeof line, "%-44s %8.3f s %5.1f%%  %8.2f GFLOP  %7.1f GFLOP/s\n", p.name.c_str(),
                      p.seconds, 100.0 * p.seconds / whole, p.flops / 1e9, gflops);
        std::cout << line;
    }
}

void run(BenchArgs args)
{
    args.options.bf16 = !args.fp32;
    if (args.threads > 0)
        applyDefaultThreads(args.threads);
    if (args.compareThreads) {
        runCompare(args);
        return;
    }
    if (args.breakdown) {
        runBreakdown(args);
        return;
    }
    CliEvents events(args.json);
    const ModelBenchResult result = runModelBench(args.options, args.json ? nullptr : &events);
    events.finish();
    if (args.json)
        printJson(resultJson(result));
    else
        printResult(result);
}

struct DecodeArgs {
    DecodeBenchOptions options;
    bool fp32 = false;
    bool json = false;
};

void runDecode(DecodeArgs args)
{
    args.options.bf16 = !args.fp32;
    CliEvents events(args.json);
    const DecodeBenchResult r = runDecodeBench(args.options, args.json ? nullptr : &events);
    events.finish();
    if (args.json) {
        printJson(r.toJson());
        return;
    }
    std::cout << "Constrained beam search, T5 '" << args.options.config << "' (random weights, vocabulary "
              << args.options.vocab << ") on " << args.options.device << ", " << args.options.beams << " beams\n"
              << "  catalog                 " << args.options.items << " IDs, " << fixed(r.meanIdTokens, 2)
              << " tokens each; trie " << r.trieNodes << " nodes, " << fixed(r.trieMemoryBytes / 1048576.0, 2)
              << " MiB, built in " << fixed(r.trieBuildSeconds * 1000.0, 1) << " ms\n"
              << "  prompts                 " << args.options.historyLength << " history items, "
              << fixed(r.meanPromptTokens, 1) << " tokens\n"
              << "  batched search          " << fixed(r.batchedUsersPerSecond, 2) << " users/s ("
              << args.options.batchedUsers << " users, " << r.options["users_per_batch"].get<std::int64_t>() << " per call)\n"
              << "  published-style search  " << fixed(r.referenceUsersPerSecond, 2) << " users/s ("
              << args.options.referenceUsers << " users, one per call)\n"
              << "  speedup                 " << fixed(r.speedup, 1) << "x\n"
              << "  same results            " << fixed(100.0 * r.agreement, 1) << "% of the compared users\n";
}

} // namespace

void addBenchCommands(CLI::App &app)
{
    auto *bench = app.add_subcommand("bench", "Measure the speed of this machine");
    bench->require_subcommand(1);

    auto args = std::make_shared<BenchArgs>();
    auto *model = bench->add_subcommand(
        "model", "Training throughput of a T5 (forward + backward + AdamW) against this machine's matmul rate");
    model->add_option("--config", args->options.config, "Model config: tiny, mini, tiger, small or a config.json")
        ->capture_default_str();
    model->add_option("--device", args->options.device, "cpu, cuda or cuda:N")->capture_default_str();
    model->add_option("--threads", args->threads, "Cores to compute on (default: IDGEN_THREADS or all)")
        ->check(CLI::PositiveNumber);
    model->add_option("--batch", args->options.batch, "Sequences per step (default: 16 tiger / 8 small on CPU, 64 on CUDA)")
        ->check(CLI::PositiveNumber);
    model->add_option("--source-len", args->options.sourceLength, "Prompt tokens per sequence")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    model->add_option("--target-len", args->options.targetLength, "Target tokens per sequence")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    model->add_option("--steps", args->options.steps, "Timed steps (the median is reported)")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    model->add_option("--warmup", args->options.warmupSteps, "Untimed steps first")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    model->add_option("--gemm-size", args->options.gemmSize, "n of the n^3 matmul (default: 2048 CPU, 8192 CUDA)")
        ->check(CLI::PositiveNumber);
    model->add_flag("--fp32", args->fp32, "On CUDA, run in float32 instead of bf16 autocast");
    model->add_flag("--compare-threads", args->compareThreads,
                    "Time the step under each Torch x OpenBLAS thread setting, round-robin");
    model->add_option("--rounds", args->rounds, "Rounds of --compare-threads")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    model->add_flag("--breakdown", args->breakdown, "Time the parts of a step (attention, feed-forward, ...)");
    model->add_flag("--json", args->json, "Print JSON");
    model->callback([args] { run(*args); });

    auto decodeArgs = std::make_shared<DecodeArgs>();
    auto *decode = bench->add_subcommand(
        "decode", "Users/s of the batched constrained beam search against the published one-user-per-call approach");
    DecodeBenchOptions &d = decodeArgs->options;
    decode->add_option("--config", d.config, "Model config: tiny, mini, tiger, small or a config.json")->capture_default_str();
    decode->add_option("--device", d.device, "cpu, cuda or cuda:N")->capture_default_str();
    decode->add_option("--vocab", d.vocab, "Vocabulary size")->check(CLI::Range(16, 1 << 20))->capture_default_str();
    decode->add_option("--items", d.items, "IDs in the catalog")->check(CLI::PositiveNumber)->capture_default_str();
    decode->add_option("--history", d.historyLength, "History items per prompt")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    decode->add_option("--beams", d.beams, "Beams")->check(CLI::PositiveNumber)->capture_default_str();
    decode->add_option("--users", d.batchedUsers, "Users decoded by the batched search")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    decode->add_option("--reference-users", d.referenceUsers, "Users decoded by the published-style search")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    decode->add_option("--batch", d.usersPerBatch, "Users per batched call (default: 32 on a CPU, 256 on CUDA)")
        ->check(CLI::PositiveNumber);
    decode->add_flag("--fp32", decodeArgs->fp32, "On CUDA, run in float32 instead of bf16 autocast");
    decode->add_option("--export", d.exportFolder,
                       "Also write the model (Hugging Face folder) and catalog here, for "
                       "tests/bench/anchor_transformers_decode.py");
    decode->add_flag("--json", decodeArgs->json, "Print JSON");
    decode->callback([decodeArgs] { runDecode(*decodeArgs); });
}

} // namespace idgen::cli
