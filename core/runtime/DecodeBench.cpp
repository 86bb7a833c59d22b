#include "runtime/DecodeBench.h"

#include "decode/BeamSearch.h"
#include "decode/PrefixTrie.h"
#include "decode/ReferenceBeamSearch.h"
#include "jobs/JobEvents.h"
#include "model/Autocast.h"
#include "model/HfExport.h"
#include "model/ModelFile.h"
#include "model/T5Model.h"
#include "model/TokenBatch.h"
#include "util/Clock.h"
#include "util/Error.h"

#include <ATen/ATen.h>
#include <torch/cuda.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

namespace idgen {
namespace {

constexpr std::int32_t kSeparator = 3; // stands for " ;" between history items
constexpr std::int32_t kFirstWordToken = 4;

// Unique textual-ID-like token sequences: 2 to 6 tokens, first tokens drawn from a skewed
// distribution so that IDs share prefixes (as "calvin klein ..." IDs do).
std::vector<std::vector<std::int32_t>> generateCatalog(std::int64_t items, std::int64_t vocab, std::mt19937_64 &rng)
{
    std::set<std::vector<std::int32_t>> seen;
    std::vector<std::vector<std::int32_t>> catalog;
    std::uniform_int_distribution<std::int32_t> word(kFirstWordToken, static_cast<std::int32_t>(vocab - 1));
    std::uniform_int_distribution<int> length(2, 6);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const double headWords = static_cast<double>(std::min<std::int64_t>(vocab - kFirstWordToken, 2000));
    while (static_cast<std::int64_t>(catalog.size()) < items) {
        std::vector<std::int32_t> id(static_cast<std::size_t>(length(rng)));
        // u^3 skews the first token towards the low ids: a few hundred frequent first words.
        id[0] = kFirstWordToken + static_cast<std::int32_t>(std::pow(unit(rng), 3.0) * headWords);
        for (std::size_t t = 1; t < id.size(); ++t)
            id[t] = word(rng);
        if (seen.insert(id).second)
            catalog.push_back(std::move(id));
    }
    return catalog;
}

// Template words + the history's IDs joined by a separator + eos, as a rendered prompt encodes.
std::vector<std::vector<std::int64_t>> generatePrompts(const std::vector<std::vector<std::int32_t>> &catalog,
                                                       std::int64_t users, std::int64_t history, std::int64_t vocab,
                                                       std::mt19937_64 &rng)
{
    std::uniform_int_distribution<std::size_t> pick(0, catalog.size() - 1);
    std::uniform_int_distribution<std::int64_t> word(kFirstWordToken, vocab - 1);
    std::vector<std::int64_t> templateWords(12);
    for (auto &w : templateWords)
        w = word(rng);
    std::vector<std::vector<std::int64_t>> prompts(static_cast<std::size_t>(users));
    for (auto &prompt : prompts) {
        prompt.assign(templateWords.begin(), templateWords.begin() + 6);
        for (std::int64_t h = 0; h < history; ++h) {
            if (h > 0)
                prompt.push_back(kSeparator);
            const auto &id = catalog[pick(rng)];
            prompt.insert(prompt.end(), id.begin(), id.end());
        }
        prompt.insert(prompt.end(), templateWords.begin() + 6, templateWords.end());
        prompt.push_back(1);
    }
    return prompts;
}

// Everything the transformers anchor needs to decode what the batched search decoded.
void exportForAnchor(const std::filesystem::path &folder, const T5Model &model,
                     const std::vector<std::vector<std::int32_t>> &catalog,
                     const std::vector<std::vector<std::int64_t>> &prompts,
                     const std::vector<std::vector<std::int32_t>> &rankings, const DecodeBenchResult &result)
{
    exportHfModel(model, folder / "model");
    const nlohmann::json out = {{"ids", catalog},
                                {"prompts", std::vector(prompts.begin(), prompts.begin() + static_cast<std::ptrdiff_t>(rankings.size()))},
                                {"rankings", rankings},
                                {"eos", model.config().eosTokenId},
                                {"pad", model.config().padTokenId},
                                {"batched_users_per_s", result.batchedUsersPerSecond},
                                {"options", result.options}};
    const auto path = folder / "catalog.json";
    std::ofstream file(path, std::ios::trunc);
    file << out.dump() << '\n';
    if (!file.flush())
        throw Error("cannot write " + path.string());
}

void synchronize(const c10::Device &device)
{
    if (device.is_cuda())
        torch::cuda::synchronize(device.index() < 0 ? 0 : device.index());
}

} // namespace

nlohmann::json DecodeBenchResult::toJson() const
{
    return {{"batched_users_per_s", batchedUsersPerSecond},
            {"reference_users_per_s", referenceUsersPerSecond},
            {"speedup", speedup},
            {"agreement", agreement},
            {"mean_prompt_tokens", meanPromptTokens},
            {"mean_id_tokens", meanIdTokens},
            {"trie_nodes", trieNodes},
            {"trie_build_seconds", trieBuildSeconds},
            {"trie_memory_bytes", trieMemoryBytes},
            {"options", options}};
}

DecodeBenchResult runDecodeBench(const DecodeBenchOptions &options, JobEvents *events)
{
    if (options.items < 1 || options.batchedUsers < 1 || options.referenceUsers < 1 || options.usersPerBatch < 0)
        throw Error("bench decode: items and user counts must be positive");
    const c10::Device device = parseDevice(options.device);
    const std::int64_t usersPerBatch = options.usersPerBatch > 0 ? options.usersPerBatch : defaultSourcesPerCall(device);
    T5Config config = T5Config::byNameOrFile(options.config);
    config.vocabSize = options.vocab;
    config.dropoutRate = 0.0;
    at::manual_seed(options.seed);
    auto model = std::make_shared<T5Model>(config);
    model->to(device);
    model->eval();
    const AutocastScope autocast(device, options.bf16);

    std::mt19937_64 rng(options.seed);
    const auto catalog = generateCatalog(options.items, options.vocab, rng);
    const PrefixTrie trie = PrefixTrie::build(catalog, static_cast<std::int32_t>(config.eosTokenId));
    const std::int64_t users = std::max(options.batchedUsers, options.referenceUsers);
    auto prompts = generatePrompts(catalog, users, options.historyLength, options.vocab, rng);

    DecodeBenchResult result;
    result.options = {{"config", options.config}, {"device", options.device}, {"vocab", options.vocab},
                      {"items", options.items}, {"history", options.historyLength}, {"beams", options.beams},
                      {"batched_users", options.batchedUsers}, {"reference_users", options.referenceUsers},
                      {"users_per_batch", usersPerBatch}, {"bf16", options.bf16 && device.is_cuda()},
                      {"seed", options.seed}};
    result.trieNodes = trie.nodeCount();
    result.trieBuildSeconds = trie.stats().buildSeconds;
    result.trieMemoryBytes = trie.stats().memoryBytes;
    double idTokens = 0.0;
    for (const auto &id : catalog)
        idTokens += static_cast<double>(id.size());
    result.meanIdTokens = idTokens / static_cast<double>(catalog.size());
    double promptTokens = 0.0;
    for (const auto &p : prompts)
        promptTokens += static_cast<double>(p.size());
    result.meanPromptTokens = promptTokens / static_cast<double>(prompts.size());

    BeamSearchOptions searchOptions;
    searchOptions.beams = options.beams;
    BeamSearch search(*model, searchOptions, &trie);
    ReferenceBeamSearch reference(*model, catalog, options.beams);

    // Warm-up (allocator, kernels), untimed.
    {
        const auto [ids, mask] = padTokens<std::int64_t>(std::span(prompts).first(std::min<std::size_t>(8, prompts.size())), 0, device);
        search.run(ids, mask);
        reference.run(ids.slice(0, 0, 1).slice(1, 0, mask[0].sum().item<std::int64_t>()));
    }

    if (events)
        events->progress(0.0, "batched search");
    const auto batchedCount = static_cast<std::size_t>(options.batchedUsers);
    std::vector<std::vector<std::int32_t>> batchedItems(batchedCount);
    Stopwatch watch;
    for (std::size_t begin = 0; begin < batchedCount; begin += static_cast<std::size_t>(usersPerBatch)) {
        const std::size_t end = std::min(batchedCount, begin + static_cast<std::size_t>(usersPerBatch));
        const auto [ids, mask] = padTokens<std::int64_t>(std::span(prompts).subspan(begin, end - begin), 0, device);
        const auto found = search.run(ids, mask);
        for (std::size_t i = begin; i < end; ++i)
            for (const auto &h : found[i - begin].hypotheses)
                batchedItems[i].push_back(h.item);
        if (events)
            events->progress(0.5 * static_cast<double>(end) / static_cast<double>(batchedCount), "batched search");
    }
    synchronize(device);
    result.batchedUsersPerSecond = static_cast<double>(batchedCount) / watch.seconds();
    if (!options.exportFolder.empty())
        exportForAnchor(options.exportFolder, *model, catalog, prompts, batchedItems, result);

    const auto referenceCount = static_cast<std::size_t>(options.referenceUsers);
    std::size_t agreeing = 0;
    std::size_t compared = 0;
    watch.restart();
    std::vector<std::vector<std::int32_t>> referenceItems(referenceCount);
    for (std::size_t u = 0; u < referenceCount; ++u) {
        const auto &p = prompts[u];
        const at::Tensor ids = at::tensor(p, at::kLong).view({1, -1}).to(device);
        for (const auto &h : reference.run(ids))
            referenceItems[u].push_back(h.item);
        if (events)
            events->progress(0.5 + 0.5 * static_cast<double>(u + 1) / static_cast<double>(referenceCount),
                             "reference search");
    }
    synchronize(device);
    result.referenceUsersPerSecond = static_cast<double>(referenceCount) / watch.seconds();
    for (std::size_t u = 0; u < std::min(referenceCount, batchedCount); ++u) {
        ++compared;
        agreeing += referenceItems[u] == batchedItems[u] ? 1 : 0;
    }
    result.agreement = compared ? static_cast<double>(agreeing) / static_cast<double>(compared) : 0.0;
    result.speedup = result.batchedUsersPerSecond / result.referenceUsersPerSecond;
    return result;
}

} // namespace idgen
