#pragma once

#include "ids/embeddings/LsaEmbeddings.h"
#include "ids/schemes/IdScheme.h"
#include "ids/semantic/RqVaeTraining.h"

#include <ATen/core/Tensor.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <vector>

namespace idgen {

// What the two semantic-ID schemes share: `rqvae` (TIGER) and `letter` (LETTER: the same RQ-VAE
// with 4 levels and two regularisers). Both quantise an embedding of each item's text (LSA of the
// rendered item text, or the user's --embeddings file) into codes, written as new tokens
// `<a_3><b_17><c_200>`, plus TIGER's extra code that breaks collisions (`<d_0>` for the first item
// of each code tuple, `<d_1>` for the next, ...), so every item ID is unique.
enum class SemanticFlavour { Rqvae, Letter };

struct SemanticSchemeOptions {
    std::filesystem::path embeddings; // empty: LSA
    LsaOptions lsa;
    RqVaeOptions rqvae;
    std::int64_t sasrecRun = 0; // letter: the sasrec-ce run to align with; 0: the latest finished one

    // Reads IdAssignmentOptions::schemeOptions; errors name the flag.
    static SemanticSchemeOptions read(const nlohmann::json &values, SemanticFlavour flavour);
    nlohmann::json toJson(SemanticFlavour flavour) const;
};

// The flags both schemes declare (letter adds its own), with the flavour's defaults.
std::vector<IdSchemeOption> semanticSchemeOptions(SemanticFlavour flavour);

// The items' embeddings [items, d]: the file's, checked (EmbeddingsFile.h), or LSA of the rendered
// item texts. Records what was used in details ("embedding").
at::Tensor semanticItemEmbeddings(const Dataset &dataset, const SemanticSchemeOptions &options, JobEvents &events,
                                  nlohmann::json &details);

// The snapshot of trained codes [items, levels]: item IDs with the extra code, the added tokens,
// numbered users, and the record (collisions before the extra code, code usage per level, and
// the RQ-VAE's figures in details).
IdSnapshot semanticSnapshot(const IdSchemeInput &input, const RqVaeResult &result, const RqVaeOptions &options,
                            nlohmann::json details);

} // namespace idgen
