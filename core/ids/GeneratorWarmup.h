#pragma once

#include "jobs/JobEvents.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace idgen {

class Database;
class Tokenizer;
struct Dataset;

// Without pretrained weights the ID generator first learns to write short keyword IDs from item
// text (method.md section 1): targets are each item's top TF-IDF words in text order
// (KeywordTargets.h). A small supervised job: AdamW, gradient clipping at 1.0, linear decay with
// 5% warm-up, padding masked out of the loss, a checkpoint at the end of every epoch, so a killed
// or stopped run continues from its last finished epoch.
struct GeneratorWarmupOptions {
    std::string config = "tiger"; // model size: tiny, mini, tiger, small or a config.json
    int keywords = 4;             // words per target ID
    int epochs = 2;
    int batchSize = 32;
    double learningRate = 1e-3;
    int maxSourceTokens = 96; // the rendered text starts with title and brand, which carry the keywords
    std::uint64_t seed = 1;
    std::string device = "cpu";
    bool bf16 = true; // CUDA only

    nlohmann::json toJson() const;
    void validate() const; // throws an Error naming the bad option
};

struct GeneratorWarmupReport {
    std::filesystem::path checkpoint;
    std::size_t items = 0;
    std::int64_t steps = 0;
    int epochsRun = 0;      // in this call (fewer than epochs when resumed)
    bool resumed = false;
    double firstLoss = 0.0; // mean loss of the first epoch run in this call
    double lastLoss = 0.0;  // mean loss of the last epoch
    double seconds = 0.0;
    std::vector<std::pair<std::string, std::string>> examples; // (item text start, target)
};

// Where a project keeps a dataset's ID generator: beside the project file, in
// "<project>.models/<dataset>-id-generator.ckpt".
std::filesystem::path defaultGeneratorPath(const Database &db, const std::string &dataset);

// Trains (or finishes training) the generator of `checkpoint` on the dataset's item texts.
GeneratorWarmupReport warmStartGenerator(const Dataset &dataset, const Tokenizer &tokenizer,
                                         const GeneratorWarmupOptions &options,
                                         const std::filesystem::path &checkpoint, JobEvents &events,
                                         StopToken stop = {});

} // namespace idgen
