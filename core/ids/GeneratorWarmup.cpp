#include "ids/GeneratorWarmup.h"

#include "data/Dataset.h"
#include "data/ItemText.h"
#include "ids/KeywordTargets.h"
#include "model/Checkpoint.h"
#include "model/ModelFile.h"
#include "model/T5Model.h"
#include "store/Database.h"
#include "text/Tokenizer.h"
#include "train/Seq2SeqTrainer.h"
#include "util/Clock.h"
#include "util/Error.h"

#include <algorithm>
#include <numeric>
#include <random>

namespace idgen {
namespace {

constexpr const char *kKind = "id-generator";

} // namespace

nlohmann::json GeneratorWarmupOptions::toJson() const
{
    return {{"config", config},   {"keywords", keywords},         {"epochs", epochs},
            {"batch", batchSize}, {"learning_rate", learningRate}, {"max_source_tokens", maxSourceTokens},
            {"seed", seed},       {"device", device},             {"bf16", bf16}};
}

void GeneratorWarmupOptions::validate() const
{
    if (keywords < 1)
        throw Error("generator warm-up: keywords must be at least 1");
    if (epochs < 1)
        throw Error("generator warm-up: epochs must be at least 1");
    if (batchSize < 1)
        throw Error("generator warm-up: batch must be at least 1");
    if (!(learningRate > 0.0))
        throw Error("generator warm-up: the learning rate must be positive");
    if (maxSourceTokens < 2)
        throw Error("generator warm-up: max source tokens must be at least 2");
}

std::filesystem::path defaultGeneratorPath(const Database &db, const std::string &dataset)
{
    std::filesystem::path folder = db.path();
    folder += ".models";
    return folder / (dataset + "-id-generator.ckpt");
}

GeneratorWarmupReport warmStartGenerator(const Dataset &dataset, const Tokenizer &tokenizer,
                                         const GeneratorWarmupOptions &options,
                                         const std::filesystem::path &checkpoint, JobEvents &events, StopToken stop)
{
    options.validate();
    const Stopwatch watch;
    const c10::Device device = parseDevice(options.device);
    GeneratorWarmupReport report;
    report.checkpoint = checkpoint;
    report.items = dataset.itemCount();

    std::vector<std::string> texts;
    texts.reserve(dataset.itemCount());
    for (const auto &fields : dataset.itemFields)
        texts.push_back(renderItemText(fields));
    const std::vector<std::string> targets = keywordTargets(texts, options.keywords);
    std::vector<std::vector<int>> sources;
    std::vector<std::vector<int>> labels;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        sources.push_back(encodeSource(tokenizer, texts[i], options.maxSourceTokens));
        labels.push_back(tokenizer.encode(targets[i], true));
    }
    for (std::size_t i = 0; i < std::min<std::size_t>(5, texts.size()); ++i)
        report.examples.emplace_back(texts[i].substr(0, 80), targets[i]);

    T5Config config = T5Config::byNameOrFile(options.config);
    config.vocabSize = tokenizer.vocabSize();
    at::manual_seed(options.seed);
    auto model = std::make_shared<T5Model>(config);
    model->to(device);

    const auto batches = static_cast<std::int64_t>((texts.size() + static_cast<std::size_t>(options.batchSize) - 1) /
                                                   static_cast<std::size_t>(options.batchSize));
    const std::int64_t totalSteps = batches * options.epochs;
    Seq2SeqTrainerOptions trainerOptions;
    trainerOptions.learningRate = options.learningRate;
    trainerOptions.totalSteps = totalSteps;
    trainerOptions.bf16 = options.bf16;
    Seq2SeqTrainer trainer(*model, trainerOptions);
    // What the checkpoint was trained on: a finished or half-done warm-up is reused only for the
    // same options, items and tokenizer (its pieces, not just its size), else it starts over.
    const std::string tokenizerHash = tokenizer.contentHash();
    const nlohmann::json identity = {{"warmup", options.toJson()}, {"items", texts.size()},
                                     {"vocab", tokenizer.vocabSize()}, {"tokenizer", tokenizerHash}};
    CheckpointState state = modelCheckpointState(
        config, kKind, {{"identity", identity}, {"complete", false}, {"tokenizer_hash", tokenizerHash}});
    if (std::filesystem::exists(checkpoint)) {
        const CheckpointState saved = readCheckpointState(checkpoint);
        if (saved.kind == kKind && saved.extra.value("identity", nlohmann::json()) == identity) {
            state = trainer.load(checkpoint);
            report.resumed = true;
            events.log("resuming the ID generator warm-up from " + checkpoint.string() + " after epoch " +
                       std::to_string(state.epoch));
        }
    }
    std::filesystem::create_directories(checkpoint.parent_path().empty() ? "." : checkpoint.parent_path());
    if (state.extra.value("complete", false)) {
        report.steps = state.step;
        report.seconds = watch.seconds();
        return report;
    }

    model->train();
    std::vector<std::size_t> order(texts.size());
    for (std::int64_t epoch = state.epoch; epoch < options.epochs; ++epoch) {
        // The order of an epoch depends on the seed and the epoch alone, so a resumed run sees
        // the same batches as an uninterrupted one.
        std::iota(order.begin(), order.end(), 0);
        std::mt19937_64 rng(options.seed * 1000003ULL + static_cast<std::uint64_t>(epoch));
        std::shuffle(order.begin(), order.end(), rng);
        double lossSum = 0.0;
        for (std::int64_t b = 0; b < batches; ++b) {
            if (stop.stopRequested()) {
                events.log("ID generator warm-up stopped; its last finished epoch is in " + checkpoint.string());
                throw Cancelled();
            }
            std::vector<std::vector<int>> batchSources;
            std::vector<std::vector<int>> batchLabels;
            const std::size_t begin = static_cast<std::size_t>(b * options.batchSize);
            const std::size_t end = std::min(order.size(), begin + static_cast<std::size_t>(options.batchSize));
            for (std::size_t i = begin; i < end; ++i) {
                batchSources.push_back(sources[order[i]]);
                batchLabels.push_back(labels[order[i]]);
            }
            lossSum += trainer.step(batchSources, batchLabels);
            state.step = trainer.steps();
            events.progress(static_cast<double>(state.step) / static_cast<double>(totalSteps),
                            "ID generator warm-up, epoch " + std::to_string(epoch + 1));
        }
        const double meanLoss = lossSum / static_cast<double>(batches);
        if (report.epochsRun == 0)
            report.firstLoss = meanLoss;
        report.lastLoss = meanLoss;
        ++report.epochsRun;
        state.epoch = epoch + 1;
        state.position = 0;
        state.extra["complete"] = state.epoch >= options.epochs;
        state.extra["last_loss"] = meanLoss;
        trainer.save(checkpoint, state);
        events.log("ID generator warm-up: epoch " + std::to_string(epoch + 1) + " of " +
                   std::to_string(options.epochs) + ", mean loss " + std::to_string(meanLoss));
    }
    report.steps = state.step;
    report.seconds = watch.seconds();
    return report;
}

} // namespace idgen
