#pragma once

#include "train/Seq2SeqTrainer.h"

#include <cstdint>
#include <string>

namespace idgen {

class ConfigTable;
struct T5Config;

// Everything that shapes a recommender training run, read from a TOML config (resources/configs/
// demo.toml, beauty-cpu.toml, beauty-gpu.toml are the built-in ones). Unknown keys are errors
// naming the key and its line. Sections:
//   [ids]        scheme to assign when no snapshot is given (any registered scheme that needs
//                nothing but the dataset: sequential, random, title, atomic, cid, rqvae; with its
//                default options), title_words
//   [model]      size: a T5 name (tiny, mini, tiger, small) with optional overrides
//   [data]       max_history, max_prompt_tokens, templates_per_sample, loss_average
//   [train]      epochs, batch, learning_rate, weight_decay, warmup_fraction, clip, seed, device, bf16,
//                ranking_loss, ranking_temperature
//   [validation] users (0: all), seed, beams, every, patience (0: never stop early)
//   [test]       beams
//   [checkpoint] every_steps, every_minutes
struct RecommenderConfig {
    std::string name;   // built-in name or file stem
    std::string text;   // the TOML as given, stored with the run
    std::string origin; // for messages

    std::string scheme = "title";
    int titleWords = 5;

    std::string model = "tiger";
    std::int64_t dModel = 0; // 0: the named model's
    std::int64_t dFf = 0;
    std::int64_t dKv = 0;
    std::int64_t layers = 0; // encoder and decoder layers
    std::int64_t heads = 0;
    double dropout = -1.0; // < 0: the named model's

    int maxHistory = 20;
    int maxPromptTokens = 512;
    int templatesPerSample = 3;
    LossAverage lossAverage = LossAverage::Sample;

    int epochs = 10;
    int batch = 64;
    double learningRate = 1e-3;
    double weightDecay = 0.01;
    double warmupFraction = 0.05;
    double clip = 1.0;
    std::uint64_t seed = 1;
    std::string device = "cpu";
    bool bf16 = true;
    bool rankingLoss = false;        // LETTER's ranking-guided generation loss (any ID scheme)
    double rankingTemperature = 0.7; // its temperature; LETTER's default, which they call sensitive

    int validationUsers = 0;
    std::uint64_t validationSeed = 7;
    int validationBeams = 20;
    int validateEvery = 1;
    int patience = 0;

    int testBeams = 20;

    std::int64_t checkpointEverySteps = 0;
    double checkpointEveryMinutes = 5.0;

    // A built-in config by name or a TOML file; throws an InputError naming file, line and key.
    static RecommenderConfig load(const std::string &nameOrPath);
    static RecommenderConfig parse(const std::string &text, const std::string &name, const std::string &origin);
    // Reads the sections above from an open config without finishing it (a config that adds
    // sections, as the alternate schedule does, reads its own and then finishes).
    static RecommenderConfig read(ConfigTable &root, const std::string &text, const std::string &name,
                                  const std::string &origin);

    // The T5 this config trains, for a tokenizer of vocabSize pieces.
    T5Config modelConfig(std::int64_t vocabSize) const;
};

} // namespace idgen
