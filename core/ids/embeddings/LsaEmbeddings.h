#pragma once

#include <ATen/core/Tensor.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace idgen {

// Latent semantic analysis of item texts: the offline text embedding the semantic-ID schemes use
// when the user brings none (TIGER used Sentence-T5, LETTER LLaMA; neither runs here). Terms are
// keywordWords() (KeywordTargets.h); a document's weights are sublinear TF (1 + ln tf) times
// smoothed IDF, rows L2-normalised; the embedding is U_k * S_k of a truncated SVD, found with a
// seeded randomized SVD (Halko et al. 2011: range finder with power iterations on the sparse
// matrix, then an exact SVD of the small projected matrix).
struct LsaOptions {
    int dimensions = 128;
    int maxTerms = 50000;        // the most frequent terms (by document frequency) are kept
    int minDocumentFrequency = 2; // a word of one item says nothing about its neighbours
    int powerIterations = 4;
    int oversampling = 16;
    std::uint64_t seed = 1;

    void validate() const; // throws an Error naming the bad option
    nlohmann::json toJson() const;
};

// One row per text, float32 [texts, d] with d = min(dimensions, texts, terms); texts without a
// kept term get a zero row. Deterministic for a seed on a given machine; column signs are fixed
// (largest entry positive) so that LAPACK's sign choice does not leak into the IDs.
at::Tensor lsaEmbeddings(const std::vector<std::string> &texts, const LsaOptions &options);

} // namespace idgen
