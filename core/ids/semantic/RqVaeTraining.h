#pragma once

#include "jobs/JobEvents.h"

#include <ATen/core/Tensor.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <vector>

namespace idgen {

// How an RQ-VAE is trained on item embeddings. Defaults are TIGER's shape (3 levels x 256 codes,
// 32-d codes) with LETTER's optimiser (AdamW 1e-3, weight decay 1e-4, batch 1024, commitment
// 0.25, k-means initialisation); LETTER's scheme sets 4 levels and its two regularisers.
struct RqVaeOptions {
    std::vector<std::int64_t> hidden = {512, 256, 128}; // encoder layers; the decoder mirrors them
    std::int64_t codeDim = 32;
    int levels = 3;
    std::int64_t codes = 256;
    int epochs = 300; // LETTER trains 20,000 on a GPU; a few hundred settle the codes on a CPU
    int batch = 1024;
    double learningRate = 1e-3;
    double weightDecay = 1e-4;
    double commitment = 0.25; // mu: weight of |residual - sg(code)|^2 beside the codebook loss
    int kmeansIterations = 50;
    std::uint64_t seed = 1;
    // LETTER's regularisers (LetterRegularisers.h); 0 turns one off.
    double collaborativeWeight = 0.0; // alpha; LETTER's script: 0.01
    double diversityWeight = 0.0;     // beta; the letter scheme: 0.01 (LETTER's 0.0001 was for its own form)
    int diversityGroups = 10;         // k-means groups of each codebook, redone every epoch

    void validate() const; // throws an Error naming the option
    nlohmann::json toJson() const;
};

struct RqVaeResult {
    at::Tensor codes;               // [items, levels] int64, each in [0, codes)
    double reconstructionError = 0; // mean squared error of the decoded codes over all items
    double inputVariance = 0;       // mean per-dimension variance of the input, to compare it with
    double finalLoss = 0;           // the last epoch's mean training loss
    int epochs = 0;
    double seconds = 0;
};

// Trains an RQ-VAE on embeddings [items, d] (float) and returns every item's codes.
// collaborative: [items, codeDim] targets of LETTER's collaborative regulariser
// (collaborativeTargets()), or an undefined tensor when collaborativeWeight is 0. Seeded: the same
// options and inputs give the same codes on the same machine and thread count (CPU).
// Progress per epoch; throws Cancelled when stopped.
RqVaeResult trainRqVae(const at::Tensor &embeddings, const RqVaeOptions &options, const at::Tensor &collaborative,
                       JobEvents &events, StopToken stop = {});

} // namespace idgen
