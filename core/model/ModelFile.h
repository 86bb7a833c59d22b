#pragma once

#include "model/Checkpoint.h"
#include "model/T5Config.h"

#include <c10/core/Device.h>

#include <filesystem>
#include <memory>
#include <string>

namespace idgen {

class T5Model;

// A model and the checkpoint state it came from (config, kind, step, extra).
struct LoadedModel {
    std::shared_ptr<T5Model> model;
    CheckpointState state;
};

// The checkpoint state of a model written for inference or as a starting point: its config under
// config["model"] so that loadModel can rebuild it, the kind ("recommender", "id-generator"),
// and caller data (tokenizer, dataset, training summary).
CheckpointState modelCheckpointState(const T5Config &config, const std::string &kind, const nlohmann::json &extra = {});

// Rebuilds the model a checkpoint describes (config["model"]) and loads its weights onto a
// device ("cpu", "cuda", "cuda:1"). The optimizer state, if any, is left in the file. A folder is
// read as a Hugging Face T5 (config.json + model.safetensors), kind "hugging-face".
LoadedModel loadModel(const std::filesystem::path &path, const std::string &device = "cpu");

// A freshly initialised model written as a checkpoint (seeded: same seed, same weights).
void writeInitialModel(const std::filesystem::path &path, const T5Config &config, const std::string &kind,
                       std::uint64_t seed, const nlohmann::json &extra = {});

c10::Device parseDevice(const std::string &device); // throws an Error for a device this build lacks

// Whether a loaded model reads and writes a tokenizer's ids, else an Error naming both:
// - checkpoints record the tokenizer they were made for as extra["tokenizer_hash"]
//   (Tokenizer::contentHash); one made for another tokenizer is refused, one that records none (a
//   Hugging Face folder, older files) passes;
// - the embedding table needs a row for every id: more rows are fine (Hugging Face T5 pads 32,000
//   pieces to 32,128), fewer are refused.
void requireModelFitsTokenizer(const LoadedModel &loaded, const std::string &tokenizerHash,
                               std::int64_t tokenizerVocab, const std::string &model, const std::string &tokenizer);

} // namespace idgen
