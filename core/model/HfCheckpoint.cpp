#include "model/HfCheckpoint.h"

#include "model/Safetensors.h"
#include "util/Error.h"

#include <torch/nn/module.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

namespace idgen {
namespace {

std::string shapeText(at::IntArrayRef shape)
{
    std::string text = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

// The names under which HF T5 files may store the one shared token embedding, most canonical
// first. When the embeddings are tied, the LM head is that tensor too.
std::vector<std::string> embeddingAliases(bool tied)
{
    std::vector<std::string> names = {"shared.weight", "encoder.embed_tokens.weight", "decoder.embed_tokens.weight"};
    if (tied)
        names.push_back("lm_head.weight");
    return names;
}

} // namespace

std::string joinNamesCapped(const std::vector<std::string> &names, std::size_t cap)
{
    std::string text;
    const std::size_t shown = std::min(cap, names.size());
    for (std::size_t i = 0; i < shown; ++i)
        text += (i ? ", " : "") + names[i];
    if (names.size() > shown)
        text += " and " + std::to_string(names.size() - shown) + " more";
    return text;
}

HfLoadReport loadHfWeights(torch::nn::Module &module, const std::filesystem::path &safetensorsFile,
                           const HfLoadOptions &options)
{
    const SafetensorsFile file(safetensorsFile);
    const auto aliases = embeddingAliases(options.tieWordEmbeddings);
    const auto isAlias = [&](const std::string &name) {
        return std::find(aliases.begin(), aliases.end(), name) != aliases.end();
    };
    // The file's stand-in for any alias the module wants but the file lacks.
    std::string aliasSource;
    for (const auto &name : aliases)
        if (aliasSource.empty() && file.contains(name))
            aliasSource = name;

    struct Target {
        std::string name;   // in the module
        std::string source; // in the file
        at::Tensor tensor;
    };
    std::vector<Target> targets;
    std::vector<std::string> missing, misshaped, unexpected;
    std::set<std::string> usedSources;
    std::set<std::string> claimed; // used or reported as mis-shaped: not "unexpected" as well

    const auto plan = [&](const std::string &name, const at::Tensor &tensor, bool required) {
        std::string source = name;
        if (!file.contains(name))
            source = isAlias(name) ? aliasSource : std::string();
        if (source.empty()) {
            if (required)
                missing.push_back(name);
            return;
        }
        claimed.insert(source);
        const auto &entry = file.entry(source);
        if (entry.shape != tensor.sizes().vec()) {
            misshaped.push_back(name + " (file " + (source == name ? "" : source + " ") + shapeText(entry.shape) +
                                ", model " + shapeText(tensor.sizes()) + ")");
            return;
        }
        usedSources.insert(source);
        targets.push_back({name, source, tensor});
    };
    for (const auto &item : module.named_parameters(/*recurse=*/true))
        plan(item.key(), item.value(), true);
    // Buffers are usually derived (masks, caches): load them when the file has them, never require them.
    for (const auto &item : module.named_buffers(/*recurse=*/true))
        plan(item.key(), item.value(), false);

    // Everything the file holds must be used, or be a copy of the shared embedding that was used.
    std::map<std::string, at::Tensor> loaded;
    const auto loadOnce = [&](const std::string &name) -> const at::Tensor & {
        auto found = loaded.find(name);
        if (found == loaded.end())
            found = loaded.emplace(name, file.load(name)).first;
        return found->second;
    };
    HfLoadReport report;
    std::string usedAlias;
    for (const auto &name : aliases)
        if (usedAlias.empty() && usedSources.count(name))
            usedAlias = name;
    for (const auto &name : file.names()) {
        if (claimed.count(name))
            continue;
        if (!usedAlias.empty() && isAlias(name)) {
            // HF ties the head after loading, so a stored tied head is dead weight whatever it holds.
            const bool tiedHead = name == "lm_head.weight";
            if (tiedHead || at::equal(loadOnce(name).to(at::kFloat), loadOnce(usedAlias).to(at::kFloat))) {
                report.ignored.push_back(name);
                continue;
            }
            unexpected.push_back(name + " (differs from " + usedAlias + ", which it should be a copy of)");
            continue;
        }
        unexpected.push_back(name);
    }

    if (!missing.empty() || !misshaped.empty() || !unexpected.empty()) {
        std::string problem = "the weights do not fit the model:";
        std::string separator = " ";
        if (!missing.empty()) {
            problem += separator + std::to_string(missing.size()) + " missing: " + joinNamesCapped(missing);
            separator = "; ";
        }
        if (!misshaped.empty()) {
            problem += separator + std::to_string(misshaped.size()) + " with another shape: " + joinNamesCapped(misshaped);
            separator = "; ";
        }
        if (!unexpected.empty())
            problem += separator + std::to_string(unexpected.size()) + " unexpected: " + joinNamesCapped(unexpected);
        throw InputError(safetensorsFile.string(), 0, "", problem);
    }

    // Read everything before writing anything, so an I/O error leaves the module untouched.
    for (const auto &target : targets)
        loadOnce(target.source);
    torch::NoGradGuard noGrad;
    for (auto &target : targets) {
        target.tensor.copy_(loaded.at(target.source));
        report.loaded.push_back(target.name);
    }
    return report;
}

HfLoadOptions HfModelFolder::loadOptions() const
{
    HfLoadOptions options;
    const auto tie = config.find("tie_word_embeddings");
    if (tie != config.end() && tie->is_boolean())
        options.tieWordEmbeddings = tie->get<bool>();
    return options;
}

HfModelFolder readHfModelFolder(const std::filesystem::path &folder)
{
    std::error_code ec;
    if (!std::filesystem::is_directory(folder, ec))
        throw InputError(folder.string(), 0, "", "not a folder (expected a Hugging Face model folder)");
    HfModelFolder result;
    result.folder = folder;

    const auto configPath = folder / "config.json";
    std::ifstream configIn(configPath, std::ios::binary);
    if (!configIn)
        throw InputError(configPath.string(), 0, "", "missing: a Hugging Face model folder needs config.json");
    try {
        result.config = nlohmann::json::parse(configIn);
    } catch (const nlohmann::json::exception &error) {
        throw InputError(configPath.string(), 0, "", std::string("not valid JSON: ") + error.what());
    }
    if (!result.config.is_object())
        throw InputError(configPath.string(), 0, "", "is not a JSON object");

    result.weights = folder / "model.safetensors";
    if (!std::filesystem::is_regular_file(result.weights, ec)) {
        std::string hint;
        if (std::filesystem::exists(folder / "model.safetensors.index.json", ec))
            hint = " (sharded checkpoints are not supported; save it as one file)";
        else if (std::filesystem::exists(folder / "pytorch_model.bin", ec))
            hint = " (only pytorch_model.bin is there; re-save it with save_pretrained(..., safe_serialization=True))";
        throw InputError(result.weights.string(), 0, "", "missing" + hint);
    }
    const auto spiece = folder / "spiece.model";
    if (std::filesystem::is_regular_file(spiece, ec))
        result.spiece = spiece;
    return result;
}

} // namespace idgen
