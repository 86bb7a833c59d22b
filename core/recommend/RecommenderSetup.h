#pragma once

#include "data/Dataset.h"
#include "decode/PrefixTrie.h"
#include "ids/IdSnapshot.h"
#include "model/ModelFile.h"
#include "text/Tokenizer.h"

#include <cstdint>
#include <filesystem>
#include <string>

namespace idgen {

class Database;

// What decoding a snapshot's items with a recommender needs, loaded and checked once: the ID
// snapshot, its dataset and tokenizer, the model on its device, and the trie of item IDs.
struct RecommenderSetup {
    IdSnapshot snapshot;
    Dataset dataset;
    Tokenizer tokenizer;
    LoadedModel recommender;
    PrefixTrie trie;
};

// Throws an Error when the snapshot's tokenizer was replaced or removed since, or when the
// checkpoint's vocabulary is not that tokenizer's.
RecommenderSetup loadRecommenderSetup(const Database &db, const std::filesystem::path &checkpoint,
                                      std::int64_t snapshot, const std::string &device);
// The same around a model already loaded (RecommenderCache); modelName names it in errors.
RecommenderSetup recommenderSetup(const Database &db, LoadedModel model, const std::string &modelName, std::int64_t snapshot);

// The trie of a snapshot's item IDs (token ids, each ending in eos).
PrefixTrie itemTrie(const IdSnapshot &snapshot, std::int32_t eos);

} // namespace idgen
