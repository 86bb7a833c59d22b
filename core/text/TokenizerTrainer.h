#pragma once

#include "data/Dataset.h"
#include "text/Tokenizer.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace idgen {

struct TokenizerOptions {
    std::string type = "unigram"; // or "bpe"
    int vocabSize = 8000;         // requested; capped for small corpora (cappedVocabSize)
    double characterCoverage = 0.9995;
    // Lower-cases both the rendered item texts and, through SentencePiece's nmt_nfkc_cf rule,
    // everything the tokenizer encodes later.
    bool lowercase = true;
    std::int64_t inputSentenceSize = 1'000'000; // sentences sampled at most
    int threads = 0;                            // 0: one per core

    nlohmann::json toJson() const;
    // Throws an Error naming the bad option.
    void validate() const;
};

struct TrainedTokenizer {
    Tokenizer tokenizer;
    int requestedVocabSize = 0;
    int effectiveVocabSize = 0; // what SentencePiece was asked for after the cap
    std::size_t texts = 0;
    double seconds = 0.0;       // training alone
    double meanTokensPerText = 0.0; // over the training texts, without eos
};

// The texts a dataset's tokenizer learns from: each item's rendered text (ItemText.h), skipping
// items without text.
std::vector<std::string> tokenizerTrainingTexts(const Dataset &dataset, bool lowercase);

// The requested size, capped at distinct words + distinct characters + the 3 special pieces: a
// larger vocabulary has nothing left to learn and only makes BPE merge noise.
int cappedVocabSize(const std::vector<std::string> &texts, int requested);

// Trains through the SentencePiece module, with T5's special ids. Throws an Error when there is
// no text or training fails.
TrainedTokenizer trainTokenizer(const std::vector<std::string> &texts, const TokenizerOptions &options);

} // namespace idgen
