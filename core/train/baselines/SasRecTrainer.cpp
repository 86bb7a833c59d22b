#include "train/baselines/SasRecTrainer.h"

#include "jobs/JobEvents.h"
#include "model/Checkpoint.h"
#include "model/ModelFile.h"
#include "model/Safetensors.h"
#include "train/baselines/BaselineData.h"
#include "train/baselines/SasRecModel.h"
#include "train/baselines/SasRecScorer.h"
#include "train/baselines/TargetRanks.h"
#include "train/distributed/DistributedEvaluation.h"
#include "train/distributed/DataParallel.h"
#include "util/Clock.h"
#include "util/Error.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/optim/adamw.h>

#include <algorithm>
#include <numeric>
#include <random>

namespace idgen {
namespace {

constexpr const char *kKind = "sasrec";
constexpr int kNegativeRetries = 100;

// The training sequences as left-padded token matrices, on the training device.
struct TrainingTensors {
    at::Tensor inputs;  // [rows, maxLength]: seq[:-1]
    at::Tensor targets; // [rows, maxLength]: seq[1:], 0 where there is no loss
    at::Tensor seen;    // [rows, longest sequence]: all of seq, for negative sampling (BCE only)
    std::vector<std::int64_t> lengths; // real input tokens per row (<= maxLength)
    std::int64_t rows = 0;
    std::int64_t targetCount = 0; // positions with a loss (sequences longer than the window lose their oldest)
};

TrainingTensors trainingTensors(const BaselineSplit &split, std::int64_t width, bool withSeen, c10::Device device)
{
    std::vector<const std::vector<std::uint32_t> *> sequences;
    std::size_t longest = 0;
    for (const auto &sequence : split.train)
        if (sequence.size() >= 2) {
            sequences.push_back(&sequence);
            longest = std::max(longest, sequence.size());
        }
    TrainingTensors t;
    t.rows = static_cast<std::int64_t>(sequences.size());
    if (t.rows == 0)
        throw Error("no user has two or more training items (items[:-2]); SASRec has nothing to learn from");
    at::Tensor inputs = at::empty({t.rows, width}, at::kLong);
    at::Tensor targets = at::empty({t.rows, width}, at::kLong);
    for (std::int64_t r = 0; r < t.rows; ++r) {
        const std::span<const std::uint32_t> sequence(*sequences[static_cast<std::size_t>(r)]);
        t.lengths.push_back(std::min<std::int64_t>(width, static_cast<std::int64_t>(sequence.size()) - 1));
        writeLeftPadded(inputs.data_ptr<std::int64_t>() + r * width, sequence.first(sequence.size() - 1), width);
        writeLeftPadded(targets.data_ptr<std::int64_t>() + r * width, sequence.subspan(1), width);
    }
    t.targetCount = targets.ne(0).sum().item<std::int64_t>();
    t.inputs = inputs.to(device);
    t.targets = targets.to(device);
    if (withSeen) {
        const auto seenWidth = static_cast<std::int64_t>(longest);
        at::Tensor seen = at::empty({t.rows, seenWidth}, at::kLong);
        for (std::int64_t r = 0; r < t.rows; ++r)
            writeLeftPadded(seen.data_ptr<std::int64_t>() + r * seenWidth, *sequences[static_cast<std::size_t>(r)],
                            seenWidth);
        t.seen = seen.to(device);
    }
    return t;
}

// One negative token per position, uniform over the items the user never had in training. Drawn
// on the CPU from `generator` (then moved to seen's device): a stream of its own, which every rank
// of a data-parallel group draws identically for the whole batch.
at::Tensor sampleNegatives(const at::Tensor &seen, std::int64_t items, c10::IntArrayRef shape, at::Generator &generator)
{
    const auto draw = [&] { return at::randint(1, items + 1, shape, generator, at::kLong).to(seen.device()); };
    at::Tensor negatives = draw();
    for (int attempt = 0; attempt < kNegativeRetries; ++attempt) {
        const at::Tensor clash = (negatives.unsqueeze(-1) == seen.unsqueeze(1)).any(-1);
        if (!clash.any().item<bool>())
            break;
        // A user who had nearly every item could keep a clash; 100 redraws make that practically
        // impossible for any real catalog.
        negatives = at::where(clash, draw(), negatives);
    }
    return negatives;
}

// One epoch's batches (row indices). Shuffled rows cut into batches; or, bucketed, rows sorted by
// length (random order within a length) cut into batches whose order is shuffled.
std::vector<std::vector<std::int64_t>> epochBatches(const std::vector<std::int64_t> &lengths, std::int64_t batch,
                                                    bool bucket, std::mt19937_64 &order)
{
    std::vector<std::int64_t> rows(lengths.size());
    std::iota(rows.begin(), rows.end(), 0);
    std::shuffle(rows.begin(), rows.end(), order);
    if (bucket)
        std::stable_sort(rows.begin(), rows.end(), [&](std::int64_t a, std::int64_t b) {
            return lengths[static_cast<std::size_t>(a)] < lengths[static_cast<std::size_t>(b)];
        });
    std::vector<std::vector<std::int64_t>> batches;
    for (std::size_t first = 0; first < rows.size(); first += static_cast<std::size_t>(batch))
        batches.emplace_back(rows.begin() + static_cast<std::ptrdiff_t>(first),
                             rows.begin() + static_cast<std::ptrdiff_t>(
                                                std::min(rows.size(), first + static_cast<std::size_t>(batch))));
    if (bucket)
        std::shuffle(batches.begin(), batches.end(), order);
    return batches;
}

// rows [batch] on the device; width: the batch's longest input (the window's right end is kept);
// negatives [batch, width] (BCE only).
at::Tensor batchLoss(SasRecModel &model, const TrainingTensors &data, const at::Tensor &rows, std::int64_t width,
                     SasRecLoss loss, const at::Tensor &negativeRows)
{
    const std::int64_t full = data.inputs.size(1);
    const at::Tensor inputs = data.inputs.index_select(0, rows).narrow(1, full - width, width);
    const at::Tensor targets = data.targets.index_select(0, rows).narrow(1, full - width, width);
    const at::Tensor hidden = model.forward(inputs);
    const at::Tensor positions = targets.reshape({-1}).ne(0).nonzero().squeeze(1);
    const at::Tensor states = hidden.reshape({-1, hidden.size(2)}).index_select(0, positions);
    const at::Tensor positives = targets.reshape({-1}).index_select(0, positions);
    if (loss == SasRecLoss::CrossEntropy)
        return at::cross_entropy_loss(model.scoreItems(states), positives - 1);
    const at::Tensor negatives = negativeRows.reshape({-1}).index_select(0, positions);
    const at::Tensor &table = model.item_embedding->weight;
    const at::Tensor positiveLogits = (states * table.index_select(0, positives)).sum(-1);
    const at::Tensor negativeLogits = (states * table.index_select(0, negatives)).sum(-1);
    return at::binary_cross_entropy_with_logits(positiveLogits, at::ones_like(positiveLogits)) +
           at::binary_cross_entropy_with_logits(negativeLogits, at::zeros_like(negativeLogits));
}

// HR@10 selects; a catalog too small for 10 uses its largest cutoff.
double selectionMetric(const RankingMetrics &metrics)
{
    const auto &cutoffs = metrics.cutoffs();
    const int k = std::find(cutoffs.begin(), cutoffs.end(), 10) != cutoffs.end() ? 10 : cutoffs.back();
    return metrics.hitRate(k);
}

std::vector<at::Tensor> copyWeights(SasRecModel &model)
{
    at::NoGradGuard noGrad;
    std::vector<at::Tensor> copy;
    for (const auto &p : model.parameters())
        copy.push_back(p.detach().clone());
    return copy;
}

void restoreWeights(SasRecModel &model, const std::vector<at::Tensor> &weights)
{
    at::NoGradGuard noGrad;
    auto parameters = model.parameters();
    for (std::size_t i = 0; i < parameters.size(); ++i)
        parameters[i].copy_(weights[i]);
}

void addMetricPoints(JobEvents &events, int epoch, std::int64_t step, const std::string &split,
                     const nlohmann::json &metrics)
{
    for (const auto &[name, value] : metrics.items())
        events.metric({0, 0, epoch, step, split, name, value.get<double>()});
}

} // namespace

const char *sasRecLossName(SasRecLoss loss)
{
    return loss == SasRecLoss::CrossEntropy ? "ce" : "bce";
}

SasRecOutcome trainSasRec(const BaselineSplit &split, const SasRecTraining &training, JobEvents &events,
                          const std::function<bool()> &stop,
                          const std::function<void(const SasRecOutcome &)> &onImproved)
{
    const SasRecConfig &config = training.config;
    const c10::Device device = parseDevice(training.device);
    if (split.items == 0)
        throw Error("the dataset has no items");
    const bool bce = training.loss == SasRecLoss::BinaryCrossEntropy;
    const TrainingTensors data = trainingTensors(split, config.maxLength, bce, device);
    const auto items = static_cast<std::int64_t>(split.items);

    at::manual_seed(static_cast<std::uint64_t>(config.seed));
    SasRecModel model(items, config);
    model.to(device);
    torch::optim::AdamW optimizer(model.parameters(), torch::optim::AdamWOptions(config.learningRate)
                                                          .betas({0.9, config.adamBeta2})
                                                          .weight_decay(config.weightDecay));
    std::mt19937_64 order(static_cast<std::uint64_t>(config.seed));
    at::Generator negativeDraws = at::make_generator<at::CPUGeneratorImpl>(static_cast<std::uint64_t>(config.seed));
    const DataParallel share(training.group, model.parameters());
    share.startFromLeader(parametersAndBuffers(model), static_cast<std::uint64_t>(config.seed));

    SasRecOutcome outcome;
    for (const auto &p : model.parameters())
        outcome.parameters += p.numel();
    const nlohmann::json modelConfig = {{"model", config.toJson()}, {"items", items}, {"loss", sasRecLossName(training.loss)}};
    const auto checkpointState = [&](const nlohmann::json &extra) {
        CheckpointState state;
        state.step = outcome.steps;
        state.epoch = outcome.epochs;
        state.kind = kKind;
        state.config = modelConfig;
        state.extra = extra;
        state.dataRng = engineStateBytes(order);
        return state;
    };
    if (!training.folder.empty())
        std::filesystem::create_directories(training.folder);

    SasRecScorer scorer(model, device);
    double best = -1.0;
    std::vector<at::Tensor> bestWeights;
    std::int64_t evaluationsWithoutGain = 0;
    const auto trainTargets = static_cast<double>(data.targetCount);
    Stopwatch trainClock;
    double trainSeconds = 0.0;

    for (int epoch = 1; epoch <= config.epochs && !outcome.stopped; ++epoch) {
        const auto batches = epochBatches(data.lengths, config.batch, config.bucketByLength, order);
        model.train();
        trainClock.restart();
        double lossSum = 0.0;
        std::int64_t batchesDone = 0;
        for (const auto &batch : batches) {
            if (share.stopVote(stop && stop())) {
                outcome.stopped = true;
                break;
            }
            // The whole batch's width and targets, this rank's rows of it; its loss weighs by its
            // share of the batch's targets, so the ranks' gradients sum to the batch's.
            std::int64_t width = 1;
            std::int64_t targets = 0;
            for (const std::int64_t row : batch) {
                width = std::max(width, data.lengths[static_cast<std::size_t>(row)]);
                targets += data.lengths[static_cast<std::size_t>(row)];
            }
            const auto [begin, end] = share.rows(batch.size());
            std::int64_t mine = 0;
            for (std::size_t i = begin; i < end; ++i)
                mine += data.lengths[static_cast<std::size_t>(batch[i])];
            at::Tensor negatives;
            if (bce) {
                const at::Tensor all = at::tensor(batch, at::TensorOptions().dtype(at::kLong)).to(device);
                negatives = sampleNegatives(data.seen.index_select(0, all), items, {all.size(0), width}, negativeDraws)
                                .narrow(0, static_cast<std::int64_t>(begin), static_cast<std::int64_t>(end - begin));
            }
            optimizer.zero_grad();
            if (end > begin) {
                const std::vector<std::int64_t> myRows(batch.begin() + static_cast<std::ptrdiff_t>(begin),
                                                       batch.begin() + static_cast<std::ptrdiff_t>(end));
                const at::Tensor rows = at::tensor(myRows, at::TensorOptions().dtype(at::kLong)).to(device);
                at::Tensor loss = batchLoss(model, data, rows, width, training.loss, negatives);
                if (mine != targets)
                    loss = loss * (static_cast<double>(mine) / static_cast<double>(targets));
                loss.backward();
                lossSum += loss.item<double>();
            }
            share.reduceGradients();
            optimizer.step();
            ++batchesDone;
            ++outcome.steps;
        }
        trainSeconds += trainClock.seconds();
        if (outcome.stopped)
            break;
        outcome.epochs = epoch;
        outcome.lastLoss = share.sum({lossSum}, "the epoch loss").front() / static_cast<double>(std::max<std::int64_t>(batchesDone, 1));
        events.metric({0, 0, epoch, outcome.steps, "train", "loss", outcome.lastLoss});
        events.progress(static_cast<double>(epoch) / static_cast<double>(config.epochs),
                        "epoch " + std::to_string(epoch) + "/" + std::to_string(config.epochs));
        if (epoch % config.evalEvery != 0 && epoch != config.epochs)
            continue;

        Stopwatch evalClock;
        RankingMetrics valid = [&] {
            SasRecEvalScope evalMode(model);
            return evaluateScorerAcrossRanks(share.group(), scorer, split.valid, config.evalBatch);
        }();
        outcome.evalSeconds += evalClock.seconds();
        const nlohmann::json validJson = valid.toJson();
        addMetricPoints(events, epoch, outcome.steps, "valid", validJson);
        const double score = selectionMetric(valid);
        const bool improved = score > best;
        events.log("epoch " + std::to_string(epoch) + ": loss " + std::to_string(outcome.lastLoss) + ", valid HR@10 " +
                   std::to_string(validJson.value("hr@10", score)) + (improved ? " (best)" : ""));
        if (improved) {
            best = score;
            bestWeights = copyWeights(model);
            evaluationsWithoutGain = 0;
            outcome.bestEpoch = epoch;
            outcome.valid = validJson;
            outcome.validUsers = valid.users();
            if (!training.folder.empty()) {
                outcome.bestCheckpoint = training.folder / "best.ckpt";
                saveCheckpoint(outcome.bestCheckpoint, model, nullptr,
                               checkpointState({{"best_epoch", epoch}, {"valid", validJson}}));
            }
            if (onImproved)
                onImproved(outcome);
        } else if (++evaluationsWithoutGain >= config.patience) {
            outcome.earlyStopped = true;
            events.log("no better validation HR@10 in " + std::to_string(config.patience) +
                       " evaluations: stopping at epoch " + std::to_string(epoch) + " (best " +
                       std::to_string(outcome.bestEpoch) + ")");
            break;
        }
    }
    outcome.trainSeconds = trainSeconds;
    if (trainSeconds > 0.0)
        outcome.samplesPerSecond = trainTargets * outcome.epochs / trainSeconds;

    // The last state (with the optimizer, to look at or continue from), then the best weights.
    if (!training.folder.empty()) {
        outcome.lastCheckpoint = training.folder / "last.ckpt";
        saveCheckpoint(outcome.lastCheckpoint, model, &optimizer, checkpointState({{"stopped", outcome.stopped}}));
    }
    if (!bestWeights.empty())
        restoreWeights(model, bestWeights);
    if (!training.folder.empty()) {
        outcome.itemEmbeddings = training.folder / "item_embeddings.safetensors";
        writeSafetensors(outcome.itemEmbeddings, {{"item_embeddings", model.itemEmbeddings().detach().to(at::kCPU)}},
                         {{"kind", kKind},
                          {"loss", sasRecLossName(training.loss)},
                          {"best_epoch", std::to_string(outcome.bestEpoch)},
                          {"rows", "item index"}});
    }
    // A stopped run is still tested when it has best weights: they were chosen on validation
    // alone, so their test figure is as honest as a finished run's (a few seconds).
    if (bestWeights.empty())
        return outcome;

    Stopwatch evalClock;
    RankingMetrics test = [&] {
        SasRecEvalScope evalMode(model);
        return evaluateScorerAcrossRanks(share.group(), scorer, split.test, config.evalBatch);
    }();
    outcome.evalSeconds += evalClock.seconds();
    outcome.test = test.toJson();
    outcome.testUsers = test.users();
    addMetricPoints(events, outcome.bestEpoch, outcome.steps, "test", outcome.test);
    return outcome;
}

} // namespace idgen
