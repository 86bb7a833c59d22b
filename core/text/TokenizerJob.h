#pragma once

#include "jobs/JobEvents.h"
#include "text/TokenizerRepository.h"
#include "text/TokenizerTrainer.h"

#include <filesystem>
#include <string>

namespace idgen {

class Database;

struct TokenizerTrainingReport {
    TokenizerInfo info;
    int requestedVocabSize = 0;
    int effectiveVocabSize = 0;
    std::size_t texts = 0;
    double seconds = 0.0;
    double meanTokensPerText = 0.0;
};

// Trains a tokenizer on a dataset's item texts and stores it in the project under `name`
// (replacing one of that name); journalled as a 'tokenizer' job.
TokenizerTrainingReport trainDatasetTokenizer(const Database &db, const std::string &dataset, const std::string &name,
                                              const TokenizerOptions &options, JobEvents &events);

// Stores a pretrained `spiece.model` (e.g. a T5's) as a dataset's tokenizer; refuses a model
// whose special ids are not T5's.
TokenizerInfo importTokenizer(const Database &db, const std::string &dataset, const std::string &name,
                              const std::filesystem::path &modelFile);

} // namespace idgen
