#include "model/ModelFile.h"

#include "model/HfCheckpoint.h"
#include "model/T5Model.h"
#include "util/Error.h"

#include <ATen/ATen.h>
#include <torch/cuda.h>

namespace idgen {

CheckpointState modelCheckpointState(const T5Config &config, const std::string &kind, const nlohmann::json &extra)
{
    CheckpointState state;
    state.kind = kind;
    state.config = {{"model", config.toJson()}};
    state.extra = extra.is_null() ? nlohmann::json::object() : extra;
    return state;
}

c10::Device parseDevice(const std::string &device)
{
    c10::Device parsed(c10::DeviceType::CPU);
    try {
        parsed = c10::Device(device);
    } catch (const std::exception &) {
        throw Error("unknown device '" + device + "' (use cpu, cuda or cuda:N)");
    }
    if (parsed.is_cuda() && !torch::cuda::is_available())
        throw Error("device '" + device + "' asked for, but this build of LibTorch sees no CUDA device");
    if (!parsed.is_cpu() && !parsed.is_cuda())
        throw Error("device '" + device + "' is not supported (use cpu, cuda or cuda:N)");
    return parsed;
}

void requireModelFitsTokenizer(const LoadedModel &loaded, const std::string &tokenizerHash,
                               std::int64_t tokenizerVocab, const std::string &model, const std::string &tokenizer)
{
    const auto recorded = loaded.state.extra.find("tokenizer_hash");
    if (recorded != loaded.state.extra.end() && recorded->is_string() && *recorded != tokenizerHash)
        throw Error(model + " was made for another tokenizer than " + tokenizer +
                    " (the same ids would mean other pieces); use a model made for this tokenizer");
    const std::int64_t modelVocab = loaded.model->config().vocabSize;
    if (modelVocab < tokenizerVocab)
        throw Error(model + " has an embedding table of " + std::to_string(modelVocab) + " tokens, fewer than the " +
                    std::to_string(tokenizerVocab) + " of " + tokenizer);
}

namespace {

// A Hugging Face folder: a user's pretrained T5, or one that idgenrec model export-hf wrote.
LoadedModel loadHfFolder(const std::filesystem::path &path)
{
    const HfModelFolder folder = readHfModelFolder(path);
    const T5Config config = T5Config::fromJson(folder.config, (path / "config.json").string());
    LoadedModel loaded{std::make_shared<T5Model>(config),
                       modelCheckpointState(config, "hugging-face", {{"folder", path.string()}})};
    loadHfWeights(*loaded.model, folder.weights, folder.loadOptions());
    return loaded;
}

LoadedModel loadCheckpointFile(const std::filesystem::path &path)
{
    LoadedModel loaded;
    loaded.state = readCheckpointState(path);
    if (!loaded.state.config.contains("model"))
        throw InputError(path.string(), 0, "config", "the checkpoint does not describe its model (no config.model)");
    const T5Config config = T5Config::fromJson(loaded.state.config["model"], path.string() + ": config.model");
    loaded.model = std::make_shared<T5Model>(config);
    CheckpointLoadOptions options;
    options.restoreTorchRng = false; // loading for use must not disturb the caller's random stream
    loadCheckpoint(path, *loaded.model, nullptr, options);
    return loaded;
}

} // namespace

LoadedModel loadModel(const std::filesystem::path &path, const std::string &device)
{
    const c10::Device target = parseDevice(device);
    LoadedModel loaded = std::filesystem::is_directory(path) ? loadHfFolder(path) : loadCheckpointFile(path);
    loaded.model->to(target);
    loaded.model->eval();
    return loaded;
}

void writeInitialModel(const std::filesystem::path &path, const T5Config &config, const std::string &kind,
                       std::uint64_t seed, const nlohmann::json &extra)
{
    at::manual_seed(seed);
    T5Model model(config);
    saveCheckpoint(path, model, nullptr, modelCheckpointState(config, kind, extra));
}

} // namespace idgen
