#pragma once

#include "train/RecommenderConfig.h"
#include "train/SoftIds.h"

#include <string>

namespace idgen {

// IDGenRec's alternate schedule (method.md section 1): a recommender config plus
//   [rounds]     rounds, first ("id": the published order, the ID phase opens round 1 with a
//                fresh recommender; "recommender": a recommender phase on the initial IDs comes
//                first), recommender_epochs, initial_recommender_epochs (that first phase's),
//                restart_recommender (fresh weights every round)
//   [generator]  epochs, steps_per_round (a cap on the ID phase's optimizer steps, 0: none),
//                learning_rate (published 1e-8: an option, not our default), batch,
//                mix (softmax | logsoftmax), max_steps, max_source_tokens (the text the generator
//                reads, in the warm-up, the ID phase and the assignments alike), size,
//                warmup_epochs and warmup_learning_rate of a generator the project does not have
//                yet, user_history (leak-free | leaky)
// A config with a [rounds] section makes `idgenrec train` start an alternate run.
struct AlternateConfig {
    RecommenderConfig recommender;
    int rounds = 3;
    std::string first = "id";
    int recommenderEpochs = 10;
    int initialRecommenderEpochs = 10; // the round-0 phase of first = "recommender"
    bool restartRecommender = false;

    int generatorEpochs = 1;
    int generatorStepsPerRound = 0; // 0: `generatorEpochs` whole epochs
    double generatorLearningRate = 1e-4;
    int generatorBatch = 16;
    SoftMix mix = SoftMix::Softmax;
    int maxIdSteps = 9;
    int maxSourceTokens = 96;
    std::string generatorSize = "tiger";
    int warmupEpochs = 2;
    double warmupLearningRate = 1e-3;
    bool leakyUsers = false;

    static AlternateConfig parse(const std::string &text, const std::string &name, const std::string &origin);
    static AlternateConfig load(const std::string &nameOrPath);
    // Whether a config text has a [rounds] section (an alternate config).
    static bool isAlternate(const std::string &text, const std::string &origin);
};

} // namespace idgen
