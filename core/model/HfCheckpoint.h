#pragma once

// Loading Hugging Face T5 weights (config.json + model.safetensors [+ spiece.model]) into any
// torch::nn::Module whose parameter names follow the HF layout ("shared.weight",
// "encoder.block.0.layer.0.SelfAttention.q.weight", ...). Written against named_parameters() only,
// so it does not depend on the model classes.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace torch::nn {
class Module;
}

namespace idgen {

struct HfLoadOptions {
    // HF's tie_word_embeddings: the LM head is the shared embedding, so a "lm_head.weight" in the
    // file is ignored unless the module has its own. Set it from config.json.
    bool tieWordEmbeddings = true;
};

struct HfLoadReport {
    std::vector<std::string> loaded;  // module names that received a tensor
    std::vector<std::string> ignored; // file names skipped as aliases of the shared embedding
};

// Copies every parameter (and any buffer the file has) of `module` from the file by name, converting
// dtype and device to the parameter's. Aliases: "shared.weight", "encoder.embed_tokens.weight" and
// "decoder.embed_tokens.weight" are one tensor in HF T5; copies in the file are accepted when equal
// to the one used and either may stand in for a missing other; "lm_head.weight" joins them when tied.
// Missing, mis-shaped and unexpected tensors are all collected into ONE InputError naming them.
// Nothing is modified unless the whole file fits.
HfLoadReport loadHfWeights(torch::nn::Module &module, const std::filesystem::path &safetensorsFile,
                           const HfLoadOptions &options = {});

// A Hugging Face model folder, as `save_pretrained` writes it.
struct HfModelFolder {
    std::filesystem::path folder;
    nlohmann::json config;                       // config.json, for T5Config::fromJson
    std::filesystem::path weights;               // model.safetensors
    std::optional<std::filesystem::path> spiece; // spiece.model when present
    HfLoadOptions loadOptions() const;           // tie_word_embeddings from the config (default true)
};

// Reads config.json and locates the weights; throws InputError for a missing or unparsable
// config.json or missing model.safetensors (pointing out pytorch_model.bin when that is all there is).
HfModelFolder readHfModelFolder(const std::filesystem::path &folder);

// "a, b, c and 7 more": at most `cap` names, then a count. Shared with the checkpoint loader.
std::string joinNamesCapped(const std::vector<std::string> &names, std::size_t cap = 20);

} // namespace idgen
