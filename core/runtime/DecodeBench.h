#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace idgen {

class JobEvents;

// `idgenrec bench decode`: users/s of the batched constrained beam search (BeamSearch) and of the
// published approach rebuilt in C++ (ReferenceBeamSearch: one user per call, a dictionary trie
// walked from the root every step), on the same randomly initialised model and the same
// generated Beauty-sized catalog, in one run. Both must return the same items.
struct DecodeBenchOptions {
    std::string config = "tiger";  // a named config or a config.json path
    std::string device = "cpu";
    std::int64_t vocab = 8000;     // the project tokenizer's default size
    std::int64_t items = 12101;    // Beauty
    std::int64_t historyLength = 20;
    int beams = 10;
    std::int64_t batchedUsers = 512;  // users decoded by the batched search (timed)
    std::int64_t referenceUsers = 24; // users decoded by the reference (timed)
    std::int64_t usersPerBatch = 0;   // users per batched call; 0: 32 on a CPU (cache-sized steps), 256 on CUDA
    bool bf16 = true;                 // CUDA only
    std::uint64_t seed = 1234;
    // When set: the model as a Hugging Face folder (<folder>/model) and <folder>/catalog.json (item
    // token ids, prompts, the batched search's ranked items and speed), so that
    // tests/bench/anchor_transformers_decode.py can time transformers' generate on the same input.
    std::string exportFolder;
};

struct DecodeBenchResult {
    double batchedUsersPerSecond = 0.0;
    double referenceUsersPerSecond = 0.0;
    double speedup = 0.0;
    double agreement = 0.0;        // reference users whose ranked items equal the batched ones
    double meanPromptTokens = 0.0;
    double meanIdTokens = 0.0;
    std::size_t trieNodes = 0;
    double trieBuildSeconds = 0.0;
    std::size_t trieMemoryBytes = 0;
    nlohmann::json options;

    nlohmann::json toJson() const;
};

DecodeBenchResult runDecodeBench(const DecodeBenchOptions &options, JobEvents *events = nullptr);

} // namespace idgen
