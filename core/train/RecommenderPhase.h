#pragma once

#include "train/RecommenderConfig.h"
#include "train/RecommenderTraining.h"
#include "train/RunRepository.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>

namespace idgen {

class Database;
class RunSession;
class T5Model;

// One stretch of recommender training inside a run: a plain recommender run is one phase; an
// alternate run has one per round, each on that round's ID snapshot.
struct RecommenderPhasePlan {
    int round = 0;
    std::int64_t snapshot = 0;
    std::filesystem::path folder;         // last.ckpt and best.ckpt of this phase
    int epochs = 0;                       // 0: the config's
    std::filesystem::path initialWeights; // a fresh phase starts from these weights (empty: seeded init)
    bool test = true;                     // decode the test split with the best checkpoint at the end
};

// The recommender's training loop: epochs of bucketed batches through Seq2SeqTrainer, per-step
// loss and per-epoch validation HR/NDCG as metric points, best-on-validation and last checkpoints
// (every N steps / M minutes, at every epoch end, on stop), pause and stop at step boundaries,
// and a bit-for-bit continuation from last.ckpt when the folder has one.
class RecommenderPhase {
public:
    enum class Outcome { Finished, Stopped };

    RecommenderPhase(const Database &db, const RunRecord &run, const RecommenderConfig &config, RunSession &session,
                     const TrainingControl &control, RecommenderPhasePlan plan);
    ~RecommenderPhase();

    Outcome run();
    // After a finished phase: valid/test metrics, best epoch, throughput.
    const nlohmann::json &summary() const;
    // What stopped it, for the run's message.
    const std::string &stopMessage() const;

private:
    class Impl;
    std::unique_ptr<Impl> m;
};

} // namespace idgen
