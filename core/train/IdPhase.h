#pragma once

#include "train/AlternateConfig.h"
#include "train/RecommenderTraining.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace idgen {

class Database;
class RunSession;

// The ID phase of one round: the recommender frozen, the generator trained through it with soft
// IDs (SoftIds.h). Every training sample's history items get the generator's greedy soft IDs
// (one batched decode for the distinct items of a batch), spliced into the prompt's embeddings;
// the frozen recommender scores the target item's current ID; the loss reaches the generator
// only. Checkpoints (generator + optimizer + cursor) in the round's folder make it resumable bit
// for bit; the trained generator ends as <folder>/generator.ckpt.
struct IdPhasePlan {
    int round = 1;
    std::int64_t snapshot = 0;          // the current IDs: prompts and targets
    std::filesystem::path folder;
    std::filesystem::path generatorIn;  // the generator to start from
    std::filesystem::path recommender;  // the frozen recommender's checkpoint
};

class IdPhase {
public:
    enum class Outcome { Finished, Stopped };

    IdPhase(const Database &db, const std::string &device, const AlternateConfig &config, RunSession &session,
            const TrainingControl &control, IdPhasePlan plan);
    ~IdPhase();

    Outcome run();
    std::filesystem::path generatorOut() const; // after Finished
    double meanLoss() const;                    // of the last epoch
    double samplesPerSecond() const;

private:
    class Impl;
    std::unique_ptr<Impl> m;
};

} // namespace idgen
