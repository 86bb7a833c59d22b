#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace idgen {

class T5Model;

// Loads a checkpoint (or Hugging Face folder) into `model` when the saved vocabulary may be
// smaller than the model's: a snapshot that adds tokens (`<a_7>`, ...) makes the recommender's
// tables grow, and a starting point written for the dataset's own tokenizer (`idgenrec model
// init` without --snapshot, an alternate run's round-0 recommender) has fewer rows. Every tensor
// is copied as saved except the token embedding (shared.weight) and an untied LM head
// (lm_head.weight), whose saved rows fill the first rows; the rows past them keep the model's
// own seeded initialisation. Equal vocabularies load as they are. A larger saved vocabulary, or
// any other difference of shape, is an Error naming the file and the tensor. Returns the saved
// vocabulary size. Leaves torch's random stream alone.
std::int64_t loadWeightsGrowingVocabulary(const std::filesystem::path &path, T5Model &model);

} // namespace idgen
