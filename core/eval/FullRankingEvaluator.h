#pragma once

#include "eval/EvaluationCase.h"
#include "eval/RankingMetrics.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace idgen {

class Database;
class JobEvents;
class PrefixTrie;
class T5Model;
class Tokenizer;
struct Dataset;
struct IdSnapshot;

// `idgenrec evaluate`: every user of a split decoded against the full catalog (a constrained beam
// search over all item IDs, no sampled negatives, seen items not filtered), HR@k and NDCG@k.
struct EvaluationRequest {
    std::filesystem::path checkpoint; // a recommender checkpoint or a Hugging Face T5 folder
    std::int64_t snapshot = 0;
    EvaluationSplit split = EvaluationSplit::Test;
    int beams = 20;
    std::size_t maxUsers = 0;       // 0: every user with a sample in the split; else the first N of them
    std::int64_t usersPerCall = 0;  // users per batched search; 0: the device's default
    std::string device = "cpu";
    bool bf16 = true;               // CUDA only: bf16 autocast
    double lengthPenalty = 1.0;
    std::size_t maxHistory = 20;
    int maxPromptTokens = 512;
    bool store = true;              // keep the result in the project file (table evaluations)
    bool unseenPrompt = false;      // the held-out template instead of template 0
    std::vector<std::size_t> onlyUsers; // when not empty: these users (dataset indices) alone
    std::optional<std::int64_t> run;    // the training run the checkpoint belongs to, when known
};

struct EvaluationResult {
    std::optional<std::int64_t> id; // in table evaluations, when stored
    EvaluationSplit split = EvaluationSplit::Test;
    int beams = 0;
    RankingMetrics metrics{std::vector<int>{}};
    std::size_t skippedUsers = 0;             // users with too few items for the split
    std::vector<std::size_t> users;           // evaluated users, in dataset order
    std::vector<int> targetRanks;             // per evaluated user: 1-based rank, or 0 when not returned
    double setupSeconds = 0.0;                // loading, trie, prompts
    double decodeSeconds = 0.0;
    double meanPromptTokens = 0.0;
    std::vector<std::string> warnings;        // e.g. user IDs that leak the test item

    double usersPerSecond() const;
    // The summary (no per-user ranks).
    nlohmann::json toJson() const;
};

EvaluationResult evaluateRecommender(const Database &db, const EvaluationRequest &request, JobEvents *events = nullptr);

// What an evaluation decodes against, loaded once: a training run keeps it for every validation.
struct EvaluationData {
    const Dataset &dataset;
    const IdSnapshot &snapshot;
    const Tokenizer &tokenizer;
    const PrefixTrie &trie;
};

// The same evaluation of a model in memory (nothing stored; request.checkpoint and store unused).
EvaluationResult evaluateModel(T5Model &model, const EvaluationData &data, const EvaluationRequest &request,
                               JobEvents *events = nullptr);

} // namespace idgen
