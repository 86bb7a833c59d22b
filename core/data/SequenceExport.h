#pragma once

#include "data/Dataset.h"

#include <filesystem>

namespace idgen {

// Writes the `sequence` format: one line per user, "user item item ...", raw ids, time order.
// Importing the result with the sequence format gives back the same dataset (minus metadata).
void writeSequenceFile(const Dataset &dataset, const std::filesystem::path &path);

} // namespace idgen
