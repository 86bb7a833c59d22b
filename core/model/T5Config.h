#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace idgen {

// The shape and conventions of one T5 encoder-decoder. Field names mirror the keys of Hugging
// Face's config.json (toJson/fromJson use those keys) so that a user's pretrained config loads as is.
struct T5Config {
    std::int64_t vocabSize = 32128;
    std::int64_t dModel = 512;
    std::int64_t dKv = 64;
    std::int64_t dFf = 2048;
    std::int64_t numLayers = 6;
    std::int64_t numDecoderLayers = 6;
    std::int64_t numHeads = 8;
    std::int64_t relativeAttentionNumBuckets = 32;
    std::int64_t relativeAttentionMaxDistance = 128;
    double dropoutRate = 0.1;
    double layerNormEpsilon = 1e-6;
    double initializerFactor = 1.0;
    // "relu", "gelu", "gelu_new", "silu", each optionally prefixed "gated-" (HF's parsing);
    // "gated-gelu" means the tanh approximation (gelu_new), as in HF.
    std::string feedForwardProj = "relu";
    bool tieWordEmbeddings = true;
    std::int64_t padTokenId = 0;
    std::int64_t eosTokenId = 1;
    std::int64_t decoderStartTokenId = 0;

    // Derived from feedForwardProj.
    bool isGatedAct() const;
    // "relu", "gelu" (exact, erf), "gelu_new" (tanh approximation) or "silu".
    std::string denseActFn() const;
    // Width of the attention projections; T5 allows it to differ from d_model.
    std::int64_t innerDim() const { return numHeads * dKv; }

    // Throws InputError naming the first field that is out of range.
    void validate(const std::string &source = "T5 config") const;

    // Hugging Face's config.json keys; unknown keys (architectures, task_specific_params, ...) are
    // ignored, a known key of the wrong type or range throws InputError naming it.
    static T5Config fromJson(const nlohmann::json &json, const std::string &source = "T5 config");
    static T5Config fromFile(const std::filesystem::path &path);
    nlohmann::json toJson() const;
    void saveFile(const std::filesystem::path &path) const;

    // "tiny" (tests), "tiger" (TIGER-size, CPU runs), "small" (t5-small). Throws Error otherwise.
    static T5Config byName(const std::string &name);
    static std::vector<std::string> names();
    // A known name, or else a path to a config.json.
    static T5Config byNameOrFile(const std::string &nameOrPath);

    bool operator==(const T5Config &other) const = default;
};

} // namespace idgen
