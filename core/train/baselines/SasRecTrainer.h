#pragma once

#include "train/baselines/SasRecConfig.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace idgen {

class JobEvents;
class ProcessGroupContext;
struct BaselineSplit;

// CrossEntropy: full softmax over every item at every position (the strong, honest baseline).
// BinaryCrossEntropy: one uniformly sampled negative per position that the user never had in
// training, as in the SASRec paper.
enum class SasRecLoss { CrossEntropy, BinaryCrossEntropy };

struct SasRecTraining {
    SasRecConfig config;
    SasRecLoss loss = SasRecLoss::CrossEntropy;
    std::string device = "cpu";
    // Where best.ckpt, last.ckpt and item_embeddings.safetensors go; empty: nothing is written.
    std::filesystem::path folder;
    // Data-parallel training (train/distributed/): this process is one rank of the group. Every
    // rank draws the same epoch batches (same seed) and trains on its contiguous share of each;
    // losses are scaled by the share's targets and gradients summed (GradientAllReduce), so the
    // config's batch and learning rate hold for any number of ranks. The stop question, the loss
    // and the evaluations are agreed or gathered; only the leader should be given a folder.
    ProcessGroupContext *group = nullptr;
};

struct SasRecOutcome {
    nlohmann::json valid = nlohmann::json::object(); // the best validation metrics
    nlohmann::json test;                             // of the best weights; null before any evaluation
    std::size_t validUsers = 0;
    std::size_t testUsers = 0;
    int bestEpoch = 0; // 0: never evaluated
    int epochs = 0;    // epochs completed
    std::int64_t steps = 0;
    bool stopped = false;
    bool earlyStopped = false;
    double lastLoss = 0.0;
    double trainSeconds = 0.0;
    double evalSeconds = 0.0;
    double samplesPerSecond = 0.0; // training targets (positions with a loss) per second of training
    std::int64_t parameters = 0;
    std::filesystem::path bestCheckpoint; // empty when not written
    std::filesystem::path lastCheckpoint;
    std::filesystem::path itemEmbeddings;
};

// Trains SASRec on the training sequences (input seq[:-1], targets seq[1:], last maxLength,
// left-padded, padding out of the loss), evaluates on validation every eval_every epochs (full
// ranking, HR@10 selects, patience in evaluations), keeps the best weights and tests them.
// Seeded: same config, seed, device and thread count, same numbers. BCE's negatives come from a
// generator of their own, drawn for the whole batch, so they do not depend on the number of ranks.
// Events: progress per epoch, a log line per evaluation, metric points (train loss per epoch,
// valid metrics per evaluation, test metrics at the end). stop is asked before every step; when it
// answers true the training ends with what it has (outcome.stopped; the best weights so far are
// tested when there are any).
// onImproved (optional) is called after every new best, with the outcome so far.
SasRecOutcome trainSasRec(const BaselineSplit &split, const SasRecTraining &training, JobEvents &events,
                          const std::function<bool()> &stop,
                          const std::function<void(const SasRecOutcome &)> &onImproved = {});

const char *sasRecLossName(SasRecLoss loss); // "ce", "bce"

} // namespace idgen
