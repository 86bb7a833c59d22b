#pragma once

// Training checkpoints: model + optimizer state + RNG states + step + data cursor + metadata in ONE
// file, so that a killed training resumes to exactly the numbers it would have reached.
//
// Format "idgenrec-checkpoint", version 1, is a plain safetensors file (model/Safetensors.h), chosen
// over torch::serialize archives because it is one documented format we already parse strictly,
// readable by Python's `safetensors` for inspection, and versioned by us rather than by LibTorch's
// pickle/zip layout (which differs between 1.13 and 2.x). Contents:
//   tensors   "param/<name>", "buffer/<name>"          module parameters and buffers, own dtype
//             "optim/<param name>/<field>"              optimizer state (exp_avg, exp_avg_sq, ...)
//             "rng/torch_cpu" (U8)                       torch's default CPU generator state
//             "rng/data" (U8, optional)                  the caller's data-order RNG, opaque bytes
//   __metadata__ "format": "idgenrec-checkpoint", "format_version": "1",
//                "state": JSON {step, epoch, position, kind, config, extra, optimizer: {type,
//                         groups: [{options, params: [names]}], state: {name: {step, tensors}}}}
//                "data_xxh3_128", "state_xxh3_128": checksums (XXH3-128, hex) of the tensor bytes
//                         and of the "state" text; a mismatch refuses the file naming it. Older
//                         checkpoints have neither and still load (CheckpointState::integrity).
// Files are written to a temporary sibling and renamed into place (atomic on POSIX).
//
// Optimizers: torch::optim::AdamW, Adam and SGD. Parameters are identified by their module names,
// so a fresh model + optimizer built the same way can take the state.

#include "util/Error.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

namespace torch::nn {
class Module;
}
namespace torch::optim {
class Optimizer;
}

namespace idgen {

inline constexpr const char *kCheckpointFormat = "idgenrec-checkpoint";
inline constexpr int kCheckpointFormatVersion = 1;

struct CheckpointState {
    std::int64_t step = 0;     // optimizer steps taken
    std::int64_t epoch = 0;    // data cursor: epoch ...
    std::int64_t position = 0; // ... and position (e.g. batches consumed) within it
    std::string kind;          // what was trained, e.g. "recommender" or "id-generator"
    nlohmann::json config = nlohmann::json::object(); // the model config and anything to rebuild it
    nlohmann::json extra = nlohmann::json::object();  // caller data (best metric, scheduler, ...)
    std::vector<std::uint8_t> dataRng;                // opaque data-order RNG state (engineStateBytes)
    // Set by loading: what the checksums showed (kIntegrityVerified, or why nothing was checked).
    std::string integrity;
};

inline constexpr const char *kIntegrityVerified = "checksums verified";
inline constexpr const char *kIntegrityUnchecked = "no checksums (written by an older build); loaded unverified";

struct CheckpointLoadOptions {
    bool restoreTorchRng = true;          // set torch's default CPU generator to the saved state
    bool restoreOptimizerOptions = true;  // learning rates etc. of each group, as saved
};

// Saves module parameters and buffers, the optimizer state (nullptr: none) and the torch CPU RNG.
// Throws Error for an unsupported optimizer or one holding parameters the module does not name.
void saveCheckpoint(const std::filesystem::path &path, const torch::nn::Module &model,
                    const torch::optim::Optimizer *optimizer, const CheckpointState &state);

// Loads into an existing model (and optimizer, built over that model's parameters; nullptr skips
// the optimizer state). Checks everything before changing anything: another format or version,
// missing/unexpected/mis-shaped tensors (named), another optimizer type or parameter grouping, or
// a checkpoint without optimizer state when one is asked for all throw InputError naming the file.
CheckpointState loadCheckpoint(const std::filesystem::path &path, torch::nn::Module &model,
                               torch::optim::Optimizer *optimizer, const CheckpointLoadOptions &options = {});

// The metadata and data RNG bytes alone (for listings and to rebuild the model from `config`).
CheckpointState readCheckpointState(const std::filesystem::path &path);

// State of a standard random engine (std::mt19937_64, ...) as bytes for CheckpointState::dataRng.
template <class Engine>
std::vector<std::uint8_t> engineStateBytes(const Engine &engine)
{
    std::ostringstream out;
    out << engine;
    const std::string text = out.str();
    return {text.begin(), text.end()};
}

template <class Engine>
void restoreEngineState(Engine &engine, const std::vector<std::uint8_t> &bytes)
{
    std::istringstream in(std::string(bytes.begin(), bytes.end()));
    Engine restored;
    in >> restored;
    if (bytes.empty() || !in)
        throw Error("the saved random engine state is empty or not a state of this engine type");
    engine = restored;
}

} // namespace idgen
